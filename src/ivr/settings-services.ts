import { FILE, NO_LEADING_SLASH, num, oneOf, PHONE, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey } from './settings-types.js';

const tzintuk = table(['tzintuk'], 'KB/tzintuk');
const conf = table(['confbridge'], 'KB/conf');
const tts = table(['create_tts'], 'KB/tts');
const sms = table(['sending_sms_and_return'], 'KB/sms');
const GUESSED = { confidence: 'G' as const };

const TZINTUK_KEYS: SettingKey[] = [
  tzintuk.key('tzintuk_type', oneOf(['removing_to_list'], true), 'removing_to_list = this extension takes callers off the list instead of adding them.', 'tzintuk_type=removing_to_list', {
    words: ['leave the tzintuk list', 'unsubscribe', 'הסרה מרשימת צינתוקים'],
  }),
  tzintuk.key('tzintuk_block_instead_of_remove', YESNO, 'Removal blocks the number instead of deleting it.', 'tzintuk_block_instead_of_remove=yes'),
  tzintuk.key('accumulation_to_tzintuk_limited_time', TEXT, 'Joins the list for a limited time: amount-unit (m, h, d, M).', 'accumulation_to_tzintuk_limited_time=1-M'),
  tzintuk.key('tzintuk_admin', YESNO, 'Admin mode: the caller manages and sends the list.', 'tzintuk_admin=yes', { words: ['send a tzintuk to everyone', 'שליחת צינתוק לרשימה'] }),
  tzintuk.key('run_tzintuk_automat', YESNO, 'Sends the tzintuk automatically on entry.', 'run_tzintuk_automat=yes', GUESSED),
  tzintuk.key('say_members_only', YESNO, 'Says only the number of members.', 'say_members_only=yes', GUESSED),
  tzintuk.key('tzintuk_your_id', PHONE, 'Number the tzintuk appears to come from.', 'tzintuk_your_id=0771234567'),
  tzintuk.key('tzintuk_timeout', num(1, 10), 'Seconds each tzintuk rings (max 10).', 'tzintuk_timeout=9', {
    default: '8',
    words: ['how long the ping rings', 'זמן צינתוק', 'משך הצלצול'],
  }),
  tzintuk.key('tzintuk_invitation_join_to_list_caller_id', PHONE, 'Caller ID of invitations to join the list.', 'tzintuk_invitation_join_to_list_caller_id=0771234567'),
  tzintuk.key('tzintuk_invitation_join_to_list_say_did_number', YESNO, 'Invitations say the system number.', 'tzintuk_invitation_join_to_list_say_did_number=yes', GUESSED),
  tzintuk.key('tzintuk_admin_menu_options_N', oneOf(['run_tzintuk', 'removing_phone', 'reset_list', 'say_amount_members', 'invitation_join', 'blocking_phone', 'noop']), 'Action of key N in the tzintuk admin menu.', 'tzintuk_admin_menu_options_1=run_tzintuk'),
  tzintuk.goto('tzintuk_end', 'end', 'Where the caller goes when the tzintuk module ends.', 'tzintuk_end=/'),
];

const CONF_KEYS: SettingKey[] = [
  conf.key('conf_bridge_type', oneOf(['listen', 'user', 'broadcaster', 'speech', 'listen_all', 'admin']), 'Caller\'s role: listen, user, broadcaster, speech, listen_all (live), admin.', 'conf_bridge_type=broadcaster', {
    default: 'listen',
    words: ['conference role', 'listener or speaker', 'live broadcast', 'תפקיד בחדר ועידה', 'מאזין או משדר', 'שידור חי'],
  }),
  conf.key('conf_bridge_folder_to_play', NO_LEADING_SLASH, 'Folder of the conference to join (full path without a leading /).', 'conf_bridge_folder_to_play=8/8'),
  conf.key('confbridge_block_digits', YESNO, 'Blocks key presses in the conference.', 'confbridge_block_digits=yes'),
  conf.key('confbridge_say_title', YESNO, 'no = do not say the conference title.', 'confbridge_say_title=no'),
  conf.goto('confbridge_live_no_goto', 'other', 'Where a caller goes when nothing is live; wait_live = wait for it.', 'confbridge_live_no_goto=/', {
    also: ['wait_live'],
    words: ['no live broadcast now', 'אין שידור חי'],
  }),
  conf.key('confbridge_music_on_hold', TEXT, 'Hold music of the conference.', 'confbridge_music_on_hold=Vocal'),
  conf.key('conf_bridge_send_thintuk', oneOf(['yes', 'tfr', 'no']), 'Sends a tzintuk to list_tzintuk when the conference starts (tfr = as an option).', 'conf_bridge_send_thintuk=yes', { sic: true }),
  conf.key('conf_bridge_admin_no_ask', YESNO, 'The admin is not asked before starting.', 'conf_bridge_admin_no_ask=yes', GUESSED),
  conf.key('conf_bridge_message_start_after_beep', YESNO, 'no = start message not after the beep.', 'conf_bridge_message_start_after_beep=no'),
  conf.key('conf_bridge_beep', YESNO, 'no = no join beep.', 'conf_bridge_beep=no'),
  conf.key('confbridge_admin_block_digits', YESNO, 'Blocks key presses of the admin.', 'confbridge_admin_block_digits=yes', GUESSED),
  conf.key('confbridge_end_admin_full', num(1), 'Number of admins that makes the room full (the reference shows 2).', 'confbridge_end_admin_full=2', GUESSED),
  conf.goto('confbridge_end_admin_full_goto', 'other', 'Where an admin goes when the admins are full.', 'confbridge_end_admin_full_goto=/'),
  conf.goto('confbridge_admin_no_participants_goto', 'other', 'Where the admin goes when there are no participants.', 'confbridge_admin_no_participants_goto=/'),
  conf.key('conf_bridge_playback_admin_files', FILE, 'File the admin can play into the conference (from ConfBridgeAdminFiles/).', 'conf_bridge_playback_admin_files=000'),
  conf.key('conf_bridge_playback_type', oneOf(['admin_files', 'all']), 'Which files the admin can play.', 'conf_bridge_playback_type=all'),
  conf.key('conf_bridge_record', YESNO, 'no = the conference is not recorded.', 'conf_bridge_record=no', { words: ['record the conference', 'הקלטת הוועידה'] }),
  conf.key('confbridge_save_record_type', oneOf(['heb_date', 'gregorian_date']), 'Names recordings by Hebrew or Gregorian date.', 'confbridge_save_record_type=heb_date'),
  conf.key('conf_bridge_admin_record', YESNO, 'The admin can record.', 'conf_bridge_admin_record=yes'),
  conf.key('conf_bridge_admin_record_folder', TEXT, 'Folder of the admin\'s recordings.', 'conf_bridge_admin_record_folder=/8/9', GUESSED),
  conf.key('conf_bridge_admin_record_serial', TEXT, 'Numbering of the admin\'s recordings.', 'conf_bridge_admin_record_serial=yes', GUESSED),
  conf.key('conf_bridge_klikers', oneOf(['blocked'], true), 'blocked = keypad clicks are not heard.', 'conf_bridge_klikers=blocked'),
  conf.key('conf_bridge_exit', YESNO, 'Lets the caller leave the conference by key.', 'conf_bridge_exit=yes', GUESSED),
  conf.goto('confbridge_end_goto', 'end', 'Where the caller goes when the conference ends.', 'confbridge_end_goto=/'),
  conf.goto('exit_from_web_goto', 'other', 'Where a caller removed from the website goes.', 'exit_from_web_goto=/'),
];

const TTS_KEYS: SettingKey[] = [
  tts.key('create_tts_in_folder', NO_LEADING_SLASH, 'Folder the .tts files are saved in (1/1, no leading /), or tfr.', 'create_tts_in_folder=1/1', { also: ['tfr'] }),
  tts.key('create_tts_record_save_in_folder', NO_LEADING_SLASH, 'Folder for the dictation recordings.', 'create_tts_record_save_in_folder=1/2', GUESSED),
  tts.key('create_tts_select_file_number', YESNO, 'The caller picks the file number.', 'create_tts_select_file_number=yes'),
  tts.key('create_tts_type', oneOf(['keyboard', 'record']), 'keyboard = typed text, record = dictated.', 'create_tts_type=record', {
    words: ['type or dictate the text', 'הקלדה או הכתבה'],
  }),
  tts.key('create_tts_record_option', TEXT, 'Dictation limits silence-min-max in seconds.', 'create_tts_record_option=2-2-20', { default: '2-2-20' }),
  tts.key('create_tts_record_ok', TEXT, 'Key that accepts the dictation at once.', 'create_tts_record_ok=#'),
  tts.key('create_tts_add_val_name', YESNO, 'Adds the login name to the text.', 'create_tts_add_val_name=yes', GUESSED),
  tts.goto('create_tts_end_goto', 'end', 'Where the caller goes after saving (hangup allowed).', 'create_tts_end_goto=hangup'),
  tts.goto('create_tts_error_goto', 'error', 'Where the caller goes on an error (hangup allowed).', 'create_tts_error_goto=/'),
];

const SMS_KEYS: SettingKey[] = [
  sms.key('text_sms_for_sending', TEXT, 'The SMS text sent to the caller (one line).', 'text_sms_for_sending=תודה שהתקשרתם', {
    words: ['sms text to send to the caller', 'message content', 'תוכן הסמס', 'נוסח ההודעה', 'טקסט ההודעה'],
  }),
  sms.key('sms_from', PHONE, 'Approved sender number of the SMS.', 'sms_from=0771234567', { words: ['sms sender', 'שולח הסמס'] }),
  sms.goto('sending_sms_and_return_end_goto', 'end', 'Where the caller goes after the SMS is sent.', 'sending_sms_and_return_end_goto=/'),
  sms.goto('sending_sms_and_return_eroor_goto', 'error', 'Where the caller goes when sending fails.', 'sending_sms_and_return_eroor_goto=/', { sic: true }),
];

/** type=tzintuk, confbridge, create_tts, sending_sms_and_return (§2.2). */
export const SERVICE_KEYS: SettingKey[] = [...TZINTUK_KEYS, ...CONF_KEYS, ...TTS_KEYS, ...SMS_KEYS];
