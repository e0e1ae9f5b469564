/**
 * The checks Yemot runs on entry to any extension, before `M0000` and the module (EXT-INI §3.4). Each can stop the
 * caller, ask for keys or move the call; the dry run assumes the caller passes them and says which were skipped.
 */
const ENTRY_KEYS = [
  'check_if_mobile_kosher_phone', 'limit_call_seconds', 'mode_say_log', 'enter_if_time', 'enter_after_time',
  'password', 'black_no_phone', 'check_phone_verify', 'white_list', 'black_list', 'enter_id',
  'check_did_and_go_to_folder', 'check_access_filter', 'send_sms', 'send_tzintuk', 'oref_check',
  'enter_foldar_end_time', 'check_phone_number', 'checking_units_ext', 'go_to_from_tzintuk',
  'check_template_filter', 'check_points_filter', 'check_listening_ok', 'check_api', 'send_message_to_telegram',
  'points_time', 'send_dtmf', 'play_campaign_message', 'check_if_music_on_hold', 'limit_entries_folder_max',
];

// An empty value restores the default (off); `no`/`0` we also read as off, which the reference does not state for each key.
const OFF = new Set(['', 'no', '0']);

export function entryChecksOf(settings: Record<string, string>): string[] {
  return ENTRY_KEYS.filter((key) => settings[key] !== undefined && !OFF.has(settings[key].trim()));
}
