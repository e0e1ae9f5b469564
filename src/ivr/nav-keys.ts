/**
 * The ext.ini keys whose value is a place to send the caller (EXT-INI §3.2 and the module rows of §2.2). Our own
 * list, so that the model does not depend on the settings table; keys that only say *whether* to move (`…=yes`)
 * or hold a key name (`up`, `root`) are not here.
 */
export type When = 'end' | 'error' | 'timeout' | 'key' | 'other';

interface KeyRule {
  when: When;
  /** Values that are a mode, not a place. */
  skip?: readonly string[];
  /** The place inside a composite value; undefined when the value has none. */
  target?: (value: string) => string | undefined;
}

const rules = (when: When, keys: string[]) => keys.map((key) => [key, { when }] as const);

// `8-/1/5`: after a recording shorter than 8 s go to /1/5.
const afterSeconds = (value: string) => /^\d+-(.+)$/.exec(value)?.[1];

// `<path>.<HH:MM-HH:MM>.<weekdays>.<days>.<months>`: the path may itself hold dots (`..`), so count from the right.
const beforeTimeWindow = (value: string) => {
  const fields = value.split('.');
  return fields.length >= 5 ? fields.slice(0, -4).join('.') : value;
};

const NAVIGATION_KEYS: ReadonlyMap<string, KeyRule> = new Map<string, KeyRule>([
  ...rules('end', [
    'api_end_goto', 'playfile_end_goto', 'play_and_return_end_go_to', 'record_end_goto', 'routing_end_goto',
    'queue_end_goto', 'queue_end_continue_goto', 'tzintuk_end', 'create_tts_end_goto',
    'sending_sms_and_return_end_goto', 'confbridge_end_goto',
  ]),
  ...rules('error', [
    'playfile_error_goto', 'record_cancel_goto', 'create_tts_error_goto', 'sending_sms_and_return_eroor_goto',
    'go_to_folder_date_error_goto', 'go_to_folder_time_error_goto', 'go_to_folder_default',
  ]),
  ...rules('timeout', ['timeout_goto', 'queue_end_timeout_goto', 'queue_timeout_calls_hangup_max_time_goto']),
  ...rules('key', ['playfile_return_end_goto', 'playfile_control_play_goto', 'queue_exit']),
  ...rules('other', [
    'go_to_folder', 'go_to_folder_big', 'record_end_goto_2', 'record_after_tzintuk_goto', 'queue_end_full_goto',
    'queue_end_no_members_goto', 'queue_not_active_goto', 'queue_end_answer_tfr_goto',
    'routing_answer_tfr_hangup_goto', 'routing_count_wait_menu_goto', 'confbridge_end_admin_full_goto',
    'confbridge_admin_no_participants_goto', 'exit_from_web_goto',
  ]),
  ['confbridge_live_no_goto', { when: 'other', skip: ['wait_live'] }],
  ['record_end_goto_if_time_little', { when: 'other', target: afterSeconds }],
]);

const PATTERNS: ReadonlyArray<readonly [RegExp, KeyRule]> = [
  [/^after_play_\d+_go_to_folder$/, { when: 'end' }],
  [/^playfile_(?:\d+_)?control_play_[0-9*#]_goto$/, { when: 'key' }],
  [/^go_to_folder_time_\d+$/, { when: 'other', target: beforeTimeWindow }],
  // Modules the reference lists without their keys still name their targets this way (`…_go_to_folder` is not:
  // `check_did_and_go_to_folder` is an entry check).
  [/_(?:goto|go_to)$/, { when: 'other' }],
];

export function navigationRule(key: string): KeyRule | undefined {
  return NAVIGATION_KEYS.get(key) ?? PATTERNS.find(([pattern]) => pattern.test(key))?.[1];
}

/** The key that says where a module goes when it finishes; unset means back one level (EXT-INI §2.2). */
export const END_KEY: Readonly<Record<string, string>> = {
  playfile: 'playfile_end_goto',
  play_and_return: 'play_and_return_end_go_to',
  api: 'api_end_goto',
  record: 'record_end_goto',
  routing: 'routing_end_goto',
  queue: 'queue_end_goto',
  tzintuk: 'tzintuk_end',
  create_tts: 'create_tts_end_goto',
  sending_sms_and_return: 'sending_sms_and_return_end_goto',
  confbridge: 'confbridge_end_goto',
};
