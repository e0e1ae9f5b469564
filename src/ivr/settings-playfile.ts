import { FILE, NO_LEADING_SLASH, num, oneOf, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey, ValueKind } from './settings-types.js';

const { key, goto } = table(['playfile'], 'KB/playfile');

/** Playfile key actions (§2.2 "playfile key actions"); the reference ends its list with "…", so the enum is open. */
const ACTION: ValueKind = oneOf(
  [
    'seconds_minus', 'seconds_plus', 'minut_minus', 'minut_plus', 'plus', 'minus', 'change_playback_speed_minus',
    'change_playback_speed_plus', 'playback_speed_normal', 'return', 'more_optionsA', 'wait', 'restart', 'play_options',
    'file_location', 'root', 'next', 'go_to_folder', 'file_move', 'file_copy', 'delete_file', 'say_details_message',
    'send_api', 'stop_points_minus', 'stop_points_plus', 'noop',
  ],
  true,
);

const KEY_DEFAULTS = 'defaults: 1 seconds_minus, 3 seconds_plus, 4 minut_minus, 6 minut_plus, 2 plus, 8 minus, 7/9 speed -/+, 0 normal speed, # return, * more_optionsA, 5 wait';

/** Switches the reference names without a value: yes/no is our reading of the name. */
const GUESSED = { confidence: 'G' as const };

const order: SettingKey[] = [
  key('start', oneOf(['max', 'min', 'select', 'select_up', 'select_down']), 'Play order: max = newest (highest number) first, min = oldest first, select = the caller picks a file number; also valid in ivr.ini for every playfile.', 'start=min', {
    default: 'max',
    words: ['play order', 'play files from oldest', 'oldest first', 'newest first', 'order of the files', 'pick a file by number', 'סדר השמעה', 'מהישן לחדש', 'מהחדש לישן', 'קבצים ישנים קודם', 'בחירת קובץ לפי מספר'],
  }),
  key('start_play', FILE, 'File number to start playing from.', 'start_play=010', { words: ['start from file', 'להתחיל מקובץ'] }),
  key('random', oneOf(['1'], true), 'Plays the files in random order.', 'random=1', {
    words: ['shuffle', 'random order', 'השמעה אקראית', 'סדר אקראי', 'ערבוב'],
  }),
  key('folder_to_play', NO_LEADING_SLASH, 'Plays the files of another folder (full path without a leading /), or tfr.', 'folder_to_play=1/2', {
    modules: ['playfile', 'confbridge'],
    source: 'KB/playfile; KB/conf',
    also: ['tfr'],
    words: ['play files of another folder', 'להשמיע קבצים משלוחה אחרת'],
  }),
  key('client_selection', YESNO, 'no = the caller cannot pick files (our reading; the reference shows only client_selection=no).', 'client_selection=no'),
  key('folder_play', oneOf(['id_record', 'folder_heb_date', 'folder_gregorian_date', 'folder_gregorian_year_week', 'heb_date', 'gregorian_date', 'heb_month_day', 'heb_parasha_day', 'heb_day', 'heb_leap_year_tania_month_day', 'timing_file']), 'Plays a sub-folder or file chosen by the caller\'s ID or by the (Hebrew or Gregorian) date.', 'folder_play=heb_date', {
    words: ['play by date', 'daily folder', 'personal folder', 'השמעה לפי תאריך', 'פרשת השבוע', 'תניא יומי'],
  }),
];

const select: SettingKey[] = [
  key('timeout_select_file', num(1), 'Seconds the select menu waits for a file number.', 'timeout_select_file=7'),
  key('timeout_no_selection', oneOf(['start'], true), 'What the select menu does when no file is picked in time (start = play from the start).', 'timeout_no_selection=start'),
  key('start_select_digits', num(1), 'How many digits a file number has in the select menu.', 'start_select_digits=3'),
  key('start_select_result_only', YESNO, 'Select menu: play only the chosen file.', 'start_select_result_only=no'),
  key('say_file_number', YESNO, 'Says each file\'s number.', 'say_file_number=no', { words: ['announce the file number', 'הקראת מספר הקובץ'] }),
  key('file_amount_digits', TEXT, 'Which file-name lengths are playable: 5 = five digits and more, 5-5 = exactly five, 1-5 = one to five.', 'file_amount_digits=5', {
    default: '3',
    words: ['file name length', 'short file names', 'אורך שם הקובץ'],
  }),
  key('select_steps_N', TEXT, 'Step N of the select menu; numbered from 1 without gaps (format not in the reference).', 'select_steps_1=10'),
];

const extras: SettingKey[] = [
  key('say_files_amount', YESNO, 'Says how many files there are.', 'say_files_amount=yes', { words: ['say the number of messages', 'השמעת מספר הקבצים', 'כמה הודעות יש'] }),
  key('say_length', YESNO, 'Says each file\'s length.', 'say_length=yes', { words: ['announce duration', 'אורך ההודעה'] }),
  key('playfile_say_length_if', num(), 'Condition on the file length, in seconds with + or -, for say_length (exact rule not in the reference).', 'playfile_say_length_if=+60'),
  key('play_beep', YESNO, 'no = no beep (M1006) between files.', 'play_beep=no', { words: ['beep between files', 'צפצוף בין הקבצים'] }),
  key('say_current', YESNO, 'Says the current file\'s position.', 'say_current=yes'),
  key('title_announcement', YESNO, 'Plays the recorded title (NNN-Title) of each file.', 'title_announcement=no', {
    modules: ['playfile', 'confbridge'],
    source: 'KB/playfile; KB/conf',
    words: ['say the title', 'הקראת כותרת'],
  }),
  key('say_title_voice', YESNO, 'Reads the titles of TitleVoice.ini by text-to-speech.', 'say_title_voice=yes'),
  key('last_play_tfr', YESNO, 'Last-play option of the playfile menu.', 'last_play_tfr=yes', GUESSED),
  key('last_play_auto', YESNO, 'Continue from the last played file automatically; also valid in ivr.ini.', 'last_play_auto=yes', {
    ...GUESSED,
    words: ['resume where I stopped', 'continue from last message', 'המשך מהמקום שהפסקתי'],
  }),
  key('listening_mark', YESNO, 'Marks files as listened to.', 'listening_mark=yes', GUESSED),
  key('check_if_listening_ok', YESNO, 'Checks that a file was listened to in full.', 'check_if_listening_ok=yes', GUESSED),
  key('say_heb_date', YESNO, 'Says the Hebrew date of each file.', 'say_heb_date=yes', { words: ['hebrew date', 'תאריך עברי'] }),
  key('say_gregorian_date', YESNO, 'Says the Gregorian date of each file.', 'say_gregorian_date=yes', { words: ['date of the message', 'תאריך לועזי'] }),
  key('save_listening_data', YESNO, 'Saves listening data.', 'save_listening_data=yes', { ...GUESSED, words: ['listening statistics', 'נתוני האזנה'] }),
  key('points_add', YESNO, 'Adds points for listening.', 'points_add=yes', GUESSED),
  key('points_add_amount', num(0), 'How many points listening adds (the reference writes points_add(_amount…)).', 'points_add_amount=1', GUESSED),
  key('log_playback_play_stop', YESNO, 'Logs play and stop of files (LogPlaybackPlayStop…).', 'log_playback_play_stop=yes', { ...GUESSED, words: ['listening log', 'דוח האזנה'] }),
  key('log_playback_play_stop_month_save_root_log', YESNO, 'Monthly play/stop log kept in the root Log folder.', 'log_playback_play_stop_month_save_root_log=yes', GUESSED),
  key('log_playback_play_stop_year_save_folder', YESNO, 'Yearly play/stop log kept in the folder.', 'log_playback_play_stop_year_save_folder=yes', GUESSED),
  key('admin_options_WORD', TEXT, 'Playfile admin options (admin_options_*); the individual keys are not in the reference.', 'admin_options_delete=yes', GUESSED),
];

const end: SettingKey[] = [
  key('after_play', oneOf(['return', 'wait_to_key', 'return_amount', 'send_to_api', 'tfr_message']), 'What happens when a file ends: return (next file / leave), wait_to_key (up to 5 min), return_amount, send_to_api, tfr_message.', 'after_play=wait_to_key', {
    default: 'return',
    words: ['when the file ends', 'after playing a file', 'wait for a key at the end', 'בסוף הקובץ', 'המתנה להקשה בסוף'],
  }),
  key('return_amount', num(1), 'The N of after_play=return_amount.', 'return_amount=2'),
  key('after_play_tfr', oneOf(['tfr_more_options'], true), 'Options menu after a file (tfr_more_options: keys control_after_play_moreAX).', 'after_play_tfr=tfr_more_options'),
  goto('after_play_NNN_go_to_folder', 'end', 'Where the caller goes after file NNN ends.', 'after_play_005_go_to_folder=/5', {
    words: ['after a specific file', 'אחרי קובץ מסוים'],
  }),
  goto('playfile_end_goto', 'end', 'Where the caller goes when the files have finished (also when there is nothing to play); default back one level.', 'playfile_end_goto=/', {
    words: ['after the message', 'when the messages end', 'end of playback', 'back to the menu after playing', 'אחרי ההודעה', 'בסיום ההודעה', 'בסוף ההשמעה', 'לאן לעבור אחרי ההשמעה', 'חזרה לתפריט הראשי אחרי ההודעה'],
  }),
  goto('playfile_error_goto', 'error', 'Where the caller goes when playing fails.', 'playfile_error_goto=/'),
  key('playfile_end_goto_ext_next', YESNO, 'At the end, go on to the next sibling extension.', 'playfile_end_goto_ext_next=yes', {
    words: ['continue to the next extension', 'מעבר לשלוחה הבאה'],
  }),
  key('playfile_end_goto_ext_next_tfr', YESNO, 'Next-sibling option of the after-play menu.', 'playfile_end_goto_ext_next_tfr=yes', GUESSED),
];

const keys: SettingKey[] = [
  key('control_playX', ACTION, `Action of key X while a file plays (${KEY_DEFAULTS}).`, 'control_play1=seconds_minus', {
    words: ['what a key does during playback', 'skip forward', 'rewind', 'fast forward', 'מקשים בזמן השמעה', 'דילוג', 'הרצה קדימה', 'הרצה אחורה'],
  }),
  key('playfile_NNN_control_play_X', ACTION, 'Action of key X during file NNN only.', 'playfile_005_control_play_1=next'),
  key('control_play_moreAX', ACTION, 'Action of key X in the more-options menu (after *).', 'control_play_moreA1=file_location'),
  key('control_after_play_moreAX', ACTION, 'Action of key X in the after-play options menu (after_play_tfr=tfr_more_options).', 'control_after_play_moreA1=restart'),
  key('control_play_repliesX', ACTION, 'Action of key X, replies variant (context not described).', 'control_play_replies1=next'),
  key('control_playlistX', ACTION, 'Action of key X, playlist variant (context not described).', 'control_playlist1=next'),
  key('playfile_NNN_control_play_noop', YESNO, 'Disables the playback keys during file NNN.', 'playfile_005_control_play_noop=yes'),
  goto('playfile_return_end_goto', 'key', 'Where the return action (# by default) takes the caller.', 'playfile_return_end_goto=/', {
    words: ['hash key during playback', 'סולמית בזמן השמעה'],
  }),
  goto('playfile_NNN_control_play_X_goto', 'key', 'Where key X (action go_to_folder) takes the caller during file NNN; wins over the general keys.', 'playfile_005_control_play_3_goto=/2'),
  goto('playfile_control_play_X_goto', 'key', 'Where key X (action go_to_folder) takes the caller.', 'playfile_control_play_3_goto=/2'),
  goto('playfile_control_play_goto', 'key', 'Where any go_to_folder key takes the caller when no specific goto is set.', 'playfile_control_play_goto=/2'),
  key('minut_minus_amount1', num(0), 'Custom jump of minut_minus, in ms (spelled with 1 as in the reference).', 'minut_minus_amount1=60000'),
  key('control_play_wait_time_max', num(0), 'Longest pause of the wait action (up to 300 s).', 'control_play_wait_time_max=300'),
  key('control_play_wait_time_minus', num(0), 'Rewind after a pause, in ms.', 'control_play_wait_time_minus=5000'),
  key('playfile_control_play_file_move', NO_LEADING_SLASH, 'Destination of the file_move action: full path without a leading /.', 'playfile_control_play_file_move=5/1'),
];

/** type=playfile (§2.2, playfile key actions). */
export const PLAYFILE_KEYS: SettingKey[] = [...order, ...select, ...extras, ...end, ...keys];
