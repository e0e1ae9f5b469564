import { num, oneOf, table, TEXT, YESNO } from './settings-build.js';
import { MODULE_ROWS } from './settings-modules.js';
import type { SettingKey } from './settings-types.js';

const global = table('any', 'KB/global');
/** §3.4 names these entry checks and their order; most have no documented value, so their examples are our guesses. */
const entry = table('any', 'KB/order', 'G');

const VOICES = ['ymMale', 'Elik_2100', 'Jacob', 'ymFemale', 'Sivan', 'Osnat'];

/** Keys of every module: the module switch, global settings and M0000 handling (§1, §3.4). */
const COMMON_KEYS: SettingKey[] = [
  // Open: the slug list comes from one source (F~), so an unlisted type may still exist; check.ts warns on it apart.
  global.key('type', oneOf(MODULE_ROWS.map((module) => module.type), true), 'The module this extension runs (menu, playfile, record, api, routing, queue, …); changing it changes which keys apply.', 'type=menu', {
    source: 'BPP; KB/menu',
    words: ['module type', 'extension type', 'kind of extension', 'סוג השלוחה', 'סוג מודול'],
  }),
  global.key('title', TEXT, 'Display name of the extension (extTitle in GetIVR2Dir).', 'title=חדשות', {
    confidence: 'F~',
    source: 'SIV; BPI tests',
    words: ['extension name', 'display name', 'label', 'שם השלוחה', 'כותרת השלוחה'],
  }),
  global.key('password', TEXT, 'Password the caller types to enter the extension.', 'password=1234', {
    words: ['password to enter', 'pin code', 'lock the extension', 'סיסמה לשלוחה', 'סיסמה לכניסה', 'קוד כניסה', 'נעילת שלוחה'],
  }),
  global.key('enter_id', YESNO, 'Asks the caller to identify (by enter_id_type) before the module.', 'enter_id=yes', {
    source: 'KB/record; KB/playfile; KB/order',
    words: ['identify the caller', 'login', 'הזדהות', 'כניסה עם קוד אישי'],
  }),
  global.key('enter_id_type', oneOf(['phone'], true), 'How the caller is identified for enter_id (phone, …).', 'enter_id_type=phone', {
    source: 'KB/record; KB/goto',
  }),
  global.key('send_tzintuk', YESNO, 'Sends a tzintuk when a caller enters; at most once per extension per call.', 'send_tzintuk=yes', {
    source: 'KB/tzintuk',
    words: ['ping me when someone enters', 'צינתוק בכניסה לשלוחה'],
  }),
  global.key('send_tzintuk_from', TEXT, 'Which list or number the entry tzintuk uses (format not in the reference).', 'send_tzintuk_from=123', { source: 'KB/tzintuk' }),
  global.key('language', oneOf(['he', 'de', 'en', 'ar', 'es', 'de1', 'fr', 'ru', 'am', 'wap']), 'Language of the system messages.', 'language=en', {
    words: ['system language', 'english messages', 'שפת המערכת', 'שפה', 'אנגלית'],
  }),
  global.key('voice', oneOf(VOICES, true), 'Text-to-speech voice.', 'voice=Osnat', {
    words: ['tts voice', 'male or female voice', 'קול ההקראה', 'קול גבר', 'קול אישה'],
  }),
  global.key('tts_voice', oneOf(VOICES, true), 'Text-to-speech voice, in modules that use the tts_ form.', 'tts_voice=Osnat'),
  global.key('rate', num(-10, 10), 'Text-to-speech speed, -10 to 10.', 'rate=2', {
    default: '0',
    words: ['speech speed', 'speed of the text to speech', 'talk faster', 'מהירות ההקראה', 'מהירות הדיבור'],
  }),
  global.key('tts_rate', num(-10, 10), 'Text-to-speech speed, in modules that use the tts_ form.', 'tts_rate=2', { default: '0' }),
  global.key('messages_max', num(1), 'How many continuation files Mxxxx-1, -2, … play, newest first.', 'messages_max=3', { source: 'KB/global; KB/menu' }),
  global.key('play_and_return', oneOf(['play_all'], true), 'play_all = the welcome message M0000 cannot be skipped.', 'play_and_return=play_all', {
    words: ['welcome message cannot be skipped', 'הודעת פתיחה בלי דילוג'],
  }),
  global.key('say_first_one_time', YESNO, 'The welcome message M0000 plays once per call.', 'say_first_one_time=yes', {
    words: ['welcome message only once', 'הודעת פתיחה פעם אחת'],
  }),
  global.key('jcalendar_realdate', oneOf(['0', '1'], true), 'Hebrew-date handling switch (the reference shows 0).', 'jcalendar_realdate=0'),
  global.key('jcalendar_subtract_day_if_time_before', TEXT, 'Before this time (HHMM) the Hebrew date counts as the previous day.', 'jcalendar_subtract_day_if_time_before=0559'),
  global.key('mode_say_log', YESNO, 'Log-announcement mode (also an entry check).', 'mode_say_log=yes'),
  global.key('log_folder_enter_exit', YESNO, 'no = do not log entries and exits (LogFolderEnterExit); can go in ivr.ini.', 'log_folder_enter_exit=no'),
  global.key('no_ringing', YESNO, 'Answer without a ring tone (ivr.ini).', 'no_ringing=yes'),
  global.key('email_address2', TEXT, 'A second e-mail address for reports.', 'email_address2=office@example.com'),
  global.key('change_pitch', num(0), 'Voice pitch factor (needs the signed form).', 'change_pitch=0.7'),
  global.key('say_time_am_pm', YESNO, 'Says times as AM/PM.', 'say_time_am_pm=yes'),
  global.key('lang', TEXT, 'Speech-recognition language, e.g. en-US.', 'lang=en-US', { words: ['speech recognition language', 'שפת זיהוי דיבור'] }),
  global.key('copy_link', YESNO, 'no = no links between copies; can go in ivr.ini.', 'copy_link=no'),
  global.key('copy_link_no_password', oneOf(['all', 'template_default']), 'Which copies skip the password.', 'copy_link_no_password=all'),
];

/** The entry pipeline of §3.4, in the vendor's order. */
const ENTRY_KEYS: SettingKey[] = [
  entry.key('check_if_mobile_kosher_phone', YESNO, 'Entry check: kosher mobile numbers.', 'check_if_mobile_kosher_phone=yes'),
  entry.key('limit_call_seconds', num(1), 'Entry check: limits the call length, in seconds.', 'limit_call_seconds=600', {
    words: ['limit call length', 'הגבלת זמן שיחה'],
  }),
  entry.key('enter_if_time', TEXT, 'Entry check: entry only at certain times (format not documented).', 'enter_if_time=08:00-20:00', {
    words: ['allow entry only at certain hours', 'כניסה רק בשעות מסוימות'],
  }),
  entry.key('enter_after_time', TEXT, 'Entry check: entry only after a time (format not documented).', 'enter_after_time=2026-01-01-00-00-00'),
  entry.key('black_no_phone', YESNO, 'Entry check: blocks callers with a hidden number.', 'black_no_phone=yes', {
    words: ['block hidden numbers', 'חסימת חסויים'],
  }),
  entry.key('check_phone_verify', YESNO, 'Entry check: verified caller numbers.', 'check_phone_verify=yes'),
  entry.key('white_list', TEXT, 'Entry check: only listed callers enter.', 'white_list=yes', {
    words: ['allow only listed numbers', 'allowed callers', 'רשימה לבנה', 'רק מספרים מורשים'],
  }),
  entry.key('black_list', TEXT, 'Entry check: listed callers are blocked.', 'black_list=yes', {
    words: ['block numbers', 'רשימה שחורה', 'חסימת מספרים'],
  }),
  entry.key('check_did_and_go_to_folder', YESNO, 'Entry check: routes by the dialled number.', 'check_did_and_go_to_folder=yes'),
  entry.key('check_access_filter', YESNO, 'Entry check: the access filter.', 'check_access_filter=yes'),
  entry.key('send_sms', YESNO, 'Entry step: sends an SMS.', 'send_sms=yes'),
  entry.key('oref_check', YESNO, 'Entry step: Home Front Command alert check.', 'oref_check=yes'),
  entry.key('enter_foldar_end_time', TEXT, 'Entry check: entry until an end time (format not documented).', 'enter_foldar_end_time=2026-01-01-00-00-00', { sic: true }),
  entry.key('check_phone_number', YESNO, 'Entry check: the caller\'s number.', 'check_phone_number=yes'),
  entry.key('checking_units_ext', YESNO, 'Entry check: units balance.', 'checking_units_ext=yes'),
  entry.key('go_to_from_tzintuk', YESNO, 'Entry step: routing of callers returning a tzintuk.', 'go_to_from_tzintuk=yes'),
  entry.key('check_template_filter', YESNO, 'Entry check: the template filter.', 'check_template_filter=yes'),
  entry.key('check_points_filter', YESNO, 'Entry check: the points filter.', 'check_points_filter=yes'),
  entry.key('check_listening_ok', YESNO, 'Entry check: listening completed.', 'check_listening_ok=yes'),
  entry.key('check_api', YESNO, 'Entry step: asks an API before entry.', 'check_api=yes'),
  entry.key('send_message_to_telegram', YESNO, 'Entry step: a Telegram message.', 'send_message_to_telegram=yes'),
  entry.key('points_time', TEXT, 'Entry step: points by time (format not documented).', 'points_time=yes'),
  entry.key('send_dtmf', TEXT, 'Entry step: sends key tones (format not documented).', 'send_dtmf=123'),
  entry.key('play_campaign_message', YESNO, 'Entry step: plays a campaign message.', 'play_campaign_message=yes'),
  entry.key('check_if_music_on_hold', YESNO, 'Entry step: hold-music check.', 'check_if_music_on_hold=yes'),
  entry.key('limit_entries_folder_max', num(1), 'Entry check: most entries to the extension.', 'limit_entries_folder_max=100'),
];

export const GLOBAL_KEYS: SettingKey[] = [...COMMON_KEYS, ...ENTRY_KEYS];
