import { ABSOLUTE, num, oneOf, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey } from './settings-types.js';

const { key, goto } = table(['record'], 'KB/record');
const GUESSED = { confidence: 'G' as const };

/** type=record (§2.2). */
export const RECORD_KEYS: SettingKey[] = [
  key('record_password', TEXT, 'Password for recording (kept in ivr.ini).', 'record_password=1234', {
    words: ['password to record', 'סיסמה להקלטה'],
  }),
  key('record_title', oneOf(['yes', 'tfr', 'no']), 'Also record a title for the message (tfr = offer it as an option).', 'record_title=yes', {
    modules: ['record', 'confbridge'],
    source: 'KB/record; KB/conf',
    words: ['record a title', 'הקלטת כותרת'],
  }),
  key('hangup_insert_file', YESNO, 'Keep the recording when the caller hangs up.', 'hangup_insert_file=yes', {
    words: ['save the recording on hang up', 'שמירת הקלטה בניתוק'],
  }),
  key('hangup_insert_file_to_folder', ABSOLUTE, 'Folder for recordings kept on hang-up; must start with /.', 'hangup_insert_file_to_folder=/1/1'),
  key('record_ok', TEXT, 'Key that saves at once, skipping the confirmation menu.', 'record_ok=#', {
    words: ['skip the confirmation menu', 'save without confirmation', 'שמירה בלי אישור'],
  }),
  key('record_stop_any_key', YESNO, 'Any key ends the recording.', 'record_stop_any_key=yes', { words: ['stop recording with any key', 'עצירה בכל מקש'] }),
  key('say_record_number', YESNO, 'no = do not say the new recording\'s number.', 'say_record_number=no'),
  key('say_record_menu', YESNO, 'no = skip the after-recording menu.', 'say_record_menu=no'),
  key('timeout_more_record', num(0), 'Seconds to wait before recording again (our reading of the name).', 'timeout_more_record=7', GUESSED),
  key('menu_record_options_N', oneOf(['record_play', 'record_ok', 'record_again', 'record_cancel', 'continue_recording', 'move_record', 'end_goto_2', 'record_ok_end_run_tzintuk', 'noop']), 'Action of key N in the after-recording menu.', 'menu_record_options_1=record_play', {
    words: ['after recording menu', 'תפריט אחרי ההקלטה'],
  }),
  key('option_record', TEXT, 'Recording limits silence-min-max in seconds, e.g. 3-5-10 or -5- (defaults: no silence limit, about 1.5 s min, no max).', 'option_record=3-5-10', {
    words: ['maximum recording length', 'minimum recording length', 'אורך הקלטה מקסימלי', 'הגבלת זמן הקלטה'],
  }),
  key('record_no_save_if_time_little', num(0), 'Recordings shorter than this many seconds are not saved.', 'record_no_save_if_time_little=5', {
    words: ['ignore short recordings', 'לא לשמור הקלטות קצרות'],
  }),
  key('set_record_name', YESNO, 'The caller names the recording.', 'set_record_name=yes', GUESSED),
  key('folder_move', oneOf(['this_folder', 'tfr', 'template', 'template-menu', 'id'], true), 'Where recordings are saved: this_folder, /7 (must start with / and exist), folder_up-1-/1, tfr, template, template-11, template-menu, id, for_id….', 'folder_move=/7', {
    modules: ['record', 'confbridge'],
    source: 'KB/record; KB/conf',
    default: 'this_folder',
    words: ['where to save the recordings', 'save recordings in another folder', 'תיקייה לשמירת ההקלטות', 'איפה לשמור את ההקלטה', 'העברת הקלטה לשלוחה'],
  }),
  key('key_move_record_to', ABSOLUTE, 'Folder the move_record option moves a recording to.', 'key_move_record_to=/1'),
  key('hard_link', YESNO, 'Copies are hard links that survive deleting the original.', 'hard_link=yes'),
  key('copy_record_link', TEXT, 'Also link the recording into other folders: yes, /5/8, /5/8,/6, path-1-/6, path-+1-/6 (up to 50).', 'copy_record_link=/5/8,/6', {
    words: ['copy the recording to another folder', 'העתקת הקלטה'],
  }),
  key('hangup_no_copy_record_link', YESNO, 'No copies when the caller hangs up.', 'hangup_no_copy_record_link=yes', GUESSED),
  goto('record_end_goto', 'end', 'Where the caller goes after the recording is saved.', 'record_end_goto=/', {
    words: ['after recording', 'after the message is recorded', 'אחרי ההקלטה', 'בסיום ההקלטה'],
  }),
  goto('record_cancel_goto', 'error', 'Where the caller goes after cancelling the recording.', 'record_cancel_goto=/', {
    words: ['cancel recording', 'ביטול הקלטה'],
  }),
  goto('record_end_goto_2', 'other', 'Destination of the end_goto_2 option of the after-recording menu.', 'record_end_goto_2=/3'),
  key('record_end_goto_if_time_little', TEXT, 'seconds-target: a recording shorter than that sends the caller to the target, e.g. 8-/1/5.', 'record_end_goto_if_time_little=8-/1/5'),
  key('move_record_end_goto_2', YESNO, 'After move_record, continue to record_end_goto_2.', 'move_record_end_goto_2=yes'),
  goto('record_after_tzintuk_goto', 'other', 'Where the caller goes after the recording\'s tzintuk is sent.', 'record_after_tzintuk_goto=/'),
  key('record_run_tzintuk_end_goto_2', YESNO, 'After the tzintuk, continue to record_end_goto_2.', 'record_run_tzintuk_end_goto_2=yes'),
  key('record_end_run_tzintuk', YESNO, 'Sends a tzintuk to list_tzintuk after each recording.', 'record_end_run_tzintuk=yes', {
    words: ['notify subscribers of a new recording', 'צינתוק אחרי הקלטה'],
  }),
  key('hangup_send_tzintuk', YESNO, 'Sends the tzintuk also when the caller hangs up after recording.', 'hangup_send_tzintuk=yes'),
  key('list_tzintuk', TEXT, 'Name of the tzintuk list; cannot be renamed later.', 'list_tzintuk=123', {
    modules: ['record', 'tzintuk', 'confbridge'],
    source: 'KB/record; KB/tzintuk; KB/conf',
    words: ['tzintuk list name', 'ping list', 'שם רשימת הצינתוקים', 'רשימת צינתוקים'],
  }),
  key('record_mix', YESNO, 'Mixes the background music M1990 into recordings.', 'record_mix=yes', { words: ['background music in recordings', 'מוזיקת רקע'] }),
  key('login_add_val_name', YESNO, 'Adds the login name to the recording (our reading of the name).', 'login_add_val_name=yes', GUESSED),
];
