import type { ModuleType } from './settings-types.js';

/**
 * Every `type=` slug of EXT-INI.md §2.1. A slug's existence is F~ (BPK copies it from the official list of all
 * extension types); modules with their own staff page in §2.2 are F. Summaries of slugs the reference does not
 * describe say "by its name": they are our reading of the slug, not a documented fact.
 */

type Row = [type: string, summary: string, summaryHe?: string];

/** Modules whose keys §2.2 lists, with the staff topic that documents them. `hangup` takes no keys at all. */
const DOCUMENTED: Record<string, string> = {
  menu: 'KB/menu',
  playfile: 'KB/playfile',
  record: 'KB/record',
  api: 'KB/api',
  routing: 'KB/routing',
  queue: 'KB/queue',
  go_to_folder: 'KB/goto',
  go_to_folder_count: 'KB/goto',
  go_to_folder_date: 'KB/goto',
  go_to_folder_time: 'KB/goto',
  go_to_folder_from_list_all_information: 'KB/goto',
  play_and_return: 'KB/par',
  hangup: 'KB/hangup',
  tzintuk: 'KB/tzintuk',
  confbridge: 'KB/conf',
  create_tts: 'KB/tts',
  sending_sms_and_return: 'KB/sms',
};

const GROUPS: Record<string, Row[]> = {
  'routing & answering': [
    ['routing', 'Forwards the call to one or more phone numbers (billed per minute).', 'הפניית שיחה למספר טלפון'],
    ['routing_time', 'By its name: forwarding that depends on the time of day.'],
    ['routing_yemot', 'By its name: transfer to another Yemot system.'],
    ['routing_1800', 'By its name: forwarding to a 1-800 number.'],
    ['routing_ip', 'By its name: forwarding to an IP/SIP destination.'],
    ['go_to_folder', 'Moves the caller to another extension.', 'מעבר לשלוחה אחרת'],
    ['go_to_folder_time', 'Moves the caller by time window, weekday, date and month.', 'מעבר לשלוחה לפי שעות'],
    ['go_to_folder_count', 'Moves the caller by how many callers are in it at once.', 'מעבר לשלוחה לפי כמות מאזינים'],
    ['go_to_folder_date', 'Moves the caller to a sub-folder named by the date or time.', 'מעבר לשלוחה לפי תאריך'],
    ['go_to_folder_from_list_all_information', 'Moves the caller by a column of ListAllInformation.ini.'],
    ['hangup', 'Hangs up, after the optional M0000 message.', 'ניתוק השיחה'],
    ['queue', 'Human-answer queue with hold music; agents listed in queue.ini.', 'תור למענה אנושי'],
    ['access_filter', 'By its name: lets only permitted callers through.'],
    ['template_filter', 'By its name: lets only callers of a template (list) through.'],
    ['key_play_set_record_go_to_foldar', 'By its name: plays, takes a key, records and moves on.'],
    ['folder_play_random', 'By its name: sends the caller to a random folder.'],
    ['block_id_type', 'By its name: blocks callers by caller-ID type.'],
    ['private_did', 'By its name: handling of a private dialled number.'],
    ['private_did_customer', 'By its name: private dialled number of a customer.'],
    ['nitoviya', 'Not described in the reference (a routing-group slug).'],
    ['nitoviya_b_say_number', 'Not described in the reference (a routing-group slug).'],
    ['tzintuk', 'Free missed-call (ping) list: join, leave, or send as admin.', 'צינתוקים'],
  ],
  menus: [
    ['menu', 'Plays M1000 and the caller types a sub-extension number.', 'תפריט'],
    ['menu_star', 'By its name: a menu reached with the star key.'],
    ['menu_voice', 'By its name: a menu answered by voice.'],
    ['message_options_menu', 'By its name: a menu of options about a message.'],
    ['start_select_file', 'By its name: the caller picks a file by number.'],
  ],
  playback: [
    ['playfile', 'Plays the folder\'s numbered files, newest first by default.', 'השמעת קבצים'],
    ['playfile_time', 'By its name: plays files depending on the time.'],
    ['playdir_time', 'By its name: plays a folder depending on the time.'],
    ['play_and_return', 'Plays M0002, then leaves (back one level by default).', 'השמעת הודעה וחזרה'],
    ['last_play', 'By its name: plays the most recent message.'],
    ['music_on_hold', 'By its name: plays hold music.'],
    ['toplay_time', 'Not described in the reference (a playback slug).'],
    ['id_message', 'By its name: a message per caller identity.'],
    ['id_list_message', 'Exists; its keys are not in the reference.'],
    ['phone_play_list', 'By its name: a playlist per phone number.'],
    ['daily_message', 'By its name: a message per day.'],
    ['number_now_is', 'By its name: says a current number or count.'],
    ['say_hour_and_minute', 'By its name: says the time.'],
  ],
  'recording & data entry': [
    ['record', 'The caller records a message into a folder.', 'הקלטה'],
    ['recording_and_entering_data', 'Exists; its keys are not in the reference.'],
    ['record_system_messages', 'By its name: records the system messages (Mxxxx) by phone.'],
    ['stt_dir_all_file', 'By its name: speech-to-text of all files of a folder.'],
    ['say_amount_subscribers', 'By its name: says how many subscribers there are.'],
    ['amount_incoming_phone_numbers', 'By its name: says how many different numbers called.'],
    ['counter_calculator', 'By its name: a counter.'],
  ],
  'lists & IDs': [
    ['template_add_number', 'By its name: adds the caller to a template (list).'],
    ['template_remove_number', 'By its name: removes the caller from a template (list).'],
    ['yemot_dialer', 'By its name: outgoing dialer.'],
    ['yemot_dialer_campaign_list', 'By its name: lists dialer campaigns.'],
    ['yemot_dialer_campaign_start', 'By its name: starts a dialer campaign by phone.'],
    ['add_id_to_list', 'By its name: adds an ID to a list.'],
    ['remove_id_from_list', 'By its name: removes an ID from a list.'],
    ['members_active', 'Not described in the reference (a lists slug).'],
  ],
  'outgoing messages': [
    ['sending_sms', 'By its name: sends an SMS (costs units).'],
    ['sending_sms_and_return', 'Sends one SMS to the caller, then leaves (costs units).', 'שליחת SMS למתקשר וחזרה'],
    ['send_fax', 'By its name: sends a fax.'],
    ['recv_fax', 'By its name: receives a fax.'],
    ['voicemail_email', 'Exists (voicemail to e-mail); its keys are not in the reference.'],
    ['oref_alerts', 'By its name: Home Front Command alerts.'],
    ['oref_alerts_quiet_wave', 'By its name: Home Front Command alerts, quiet variant.'],
  ],
  'study & points': [
    ['points_save', 'By its name: saves points.'],
    ['points_edit', 'By its name: edits points.'],
    ['points_say_total', 'By its name: says the points total.'],
    ['points_to_other_id', 'By its name: moves points to another ID.'],
    ['points_and_rating', 'By its name: points and rating.'],
    ['chapter_receive', 'By its name: takes on a chapter (study sharing).'],
    ['chapter_receive_mishnayot_select', 'By its name: picks Mishnayot chapters.'],
    ['study_tracking', 'By its name: tracks study.'],
    ['tehillim_select_save_and_listen', 'By its name: picks, saves and plays Tehillim.'],
  ],
  'commerce & payments': [
    ['nedarim_plus', 'By its name: Nedarim Plus payments.'],
    ['pelecard', 'By its name: Pelecard payments.'],
    ['cardcom', 'By its name: Cardcom payments.'],
    ['credit_card', 'Exists (credit-card charge); its keys are not in the reference.'],
    ['sale_seats', 'By its name: sells seats.'],
    ['sale_products', 'Exists (product sale); its keys are not in the reference.'],
    ['donation_campaign', 'By its name: donation campaign.'],
    ['donation_campaign_some_actions', 'By its name: donation campaign with several actions.'],
    ['fundraising', 'By its name: fundraising.'],
    ['coupon', 'By its name: coupons.'],
    ['exchange_rates', 'By its name: says exchange rates.'],
    ['calculator_add_percentage', 'By its name: adds a percentage to a number.'],
  ],
  'tests & surveys': [
    ['examination', 'By its name: an exam.'],
    ['examination_american', 'By its name: a multiple-choice exam.'],
    ['seker', 'Exists (survey); its keys are not in the reference.'],
    ['trivia_questions', 'By its name: trivia quiz.'],
    ['approval_number', 'By its name: gives an approval number.'],
  ],
  time: [
    ['zmanim', 'By its name: says halachic times.'],
    ['time_keeper', 'By its name: attendance clock.'],
    ['limit_call_seconds', 'By its name: limits the call length.'],
  ],
  conference: [
    ['confbridge', 'Conference room or live broadcast.', 'חדר ועידה / שידור חי'],
    ['conference_amount', 'By its name: says how many are in a conference.'],
  ],
  system: [
    ['admin_login', 'By its name: administrator login by phone.'],
    ['api', 'HTTP dialogue with your server for each step of the call.', 'מודול API'],
    ['create_ivr2', 'By its name: creates extensions by phone.'],
    ['open_wap_reseller_customer', 'By its name: opens a reseller customer.'],
    ['checking_units', 'By its name: says the units balance.'],
    ['tasks_report', 'By its name: tasks report.'],
  ],
};

/** Slugs seen outside BPK's list, each with its own source. */
const EXTRA: ModuleType[] = [
  {
    type: 'create_tts',
    group: 'recording & data entry',
    summary: 'The caller types or dictates text that is saved as a .tts file.',
    summaryHe: 'יצירת קבצי TTS',
    confidence: 'F',
    source: 'KB/tts',
    modelled: true,
  },
  { type: 'system_sharing', group: 'system', summary: 'Call-back to the caller.', confidence: 'F~', source: 'HNB README', modelled: false },
  { type: 'telezchor', group: 'system', summary: 'Named by a staff topic title only; not described.', confidence: 'F~', source: 'KB config (topic title)', modelled: false },
];

export const MODULE_ROWS: readonly ModuleType[] = [
  ...Object.entries(GROUPS).flatMap(([group, rows]) =>
    rows.map(([type, summary, summaryHe]): ModuleType => {
      const documented = DOCUMENTED[type];
      return {
        type,
        group,
        summary,
        ...(summaryHe ? { summaryHe } : {}),
        confidence: documented ? 'F' : 'F~',
        source: documented ? `BPK; ${documented}` : 'BPK',
        ...(type === 'key_play_set_record_go_to_foldar' ? { sic: true as const } : {}),
        modelled: documented !== undefined,
      };
    }),
  ),
  ...EXTRA,
];
