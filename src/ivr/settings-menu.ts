import { listOf, NO_LEADING_SLASH, num, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey } from './settings-types.js';

const { key, goto } = table(['menu'], 'KB/menu');
const MENU_AND_ROUTING = { modules: ['menu', 'routing'], source: 'KB/menu; KB/routing' };

/** type=menu (EXT-INI.md §2.2, §3.3). */
export const MENU_KEYS: SettingKey[] = [
  key('digits', num(1), 'How many digits the caller types to pick a sub-extension (2 = sub-folders 01 to 99).', 'digits=2', {
    ...MENU_AND_ROUTING,
    default: '1',
    words: ['number of digits', 'how many digits', 'two digit menu', 'כמה ספרות', 'מספר ספרות', 'שתי ספרות', 'אורך הבחירה'],
  }),
  key('timeout', num(1), 'Seconds the menu waits for the caller to type (more) digits.', 'timeout=7', {
    default: '7',
    words: ['seconds to wait for a key', 'wait for input', 'time to press', 'זמן המתנה להקשה', 'כמה זמן לחכות להקשה', 'שניות המתנה'],
  }),
  key('attempts', num(1), 'How many times the prompt plays before the caller counts as making no choice (playfile select menu: default 5).', 'attempts=3', {
    modules: ['menu', 'playfile'],
    source: 'KB/menu; KB/playfile',
    words: ['how many times to repeat the menu', 'repeat the prompt', 'tries', 'כמה פעמים להשמיע', 'מספר השמעות', 'ניסיונות'],
  }),
  goto('timeout_goto', 'timeout', 'Where the caller goes when no key is pressed after the prompt has played several times.', 'timeout_goto=/', {
    words: ['nobody presses a key', 'no key pressed', 'no choice made', 'no input', 'caller does not press', 'לא הקיש', 'לא מקישים כלום', 'אין הקשה', 'לא בחר', 'אף אחד לא מקיש'],
  }),
  key('up', TEXT, 'The key that goes back one level to the parent extension.', 'up=#', {
    ...MENU_AND_ROUTING,
    default: '#',
    words: ['key to go back', 'back key', 'previous extension', 'parent', 'level up', 'מקש חזרה', 'חזרה לשלוחה הקודמת', 'שלוחה קודמת', 'סולמית'],
  }),
  key('root', TEXT, 'The key that jumps to the root extension.', 'root=*', {
    ...MENU_AND_ROUTING,
    default: '*',
    words: ['key to the main menu', 'home key', 'star key', 'מקש לתפריט הראשי', 'כוכבית', 'שלוחה ראשית'],
  }),
  key('again', TEXT, 'The key that replays the prompt (Star for *); that key then no longer opens a sub-extension.', 'again=Star', {
    words: ['repeat the menu key', 'replay the prompt', 'hear again', 'שמיעה חוזרת', 'חזרה על התפריט', 'להשמיע שוב'],
  }),
  key('hash_extension', YESNO, 'Makes # a sub-extension of its own (folder Hash).', 'hash_extension=yes', {
    words: ['hash key as an extension', 'pound key', 'סולמית כשלוחה'],
  }),
  key('star_extension', YESNO, 'Makes * and *N sub-extensions of their own (folders Star, StarN).', 'star_extension=yes', {
    words: ['star key as an extension', 'כוכבית כשלוחה'],
  }),
  key('text_extensions', YESNO, 'Named or remapped sub-extensions, read from ExtensionNumbersAndAssociations.ini.', 'text_extensions=yes', {
    words: ['named extensions', 'map a key to another extension', 'שמות לשלוחות', 'מיפוי מקשים'],
  }),
  key('M1001_say', YESNO, 'Plays M1001 ("wrong key") when the caller types a number with no sub-extension.', 'M1001_say=yes', {
    words: ['wrong key message', 'invalid choice', 'הקשה שגויה', 'בחירה לא חוקית'],
  }),
  key('menu_sequence', listOf('menu part'), 'Which announcements the menu plays and in what order; only listed parts play (SayMessageLastPlay, PlayfileMessageSay, ConfBridge, PlaydirTime, campaign, PlayDate, M0000, Omer, M0001, M1000).', 'menu_sequence=M0001,M0000,ConfBridge,M1000', {
    words: ['order of the menu messages', 'סדר ההשמעה בתפריט'],
  }),
  key('say_menu_voice', YESNO, 'Reads the text of menu_voice as the prompt, ignoring the audio files.', 'say_menu_voice=yes', {
    words: ['menu by text to speech', 'תפריט בהקראה'],
  }),
  key('menu_voice', TEXT, 'The prompt text read when say_menu_voice=yes.', 'menu_voice=לחדשות הקישו 1', {
    words: ['menu text', 'טקסט התפריט'],
  }),
  key('menu_say_conf_bridge', YESNO, 'Announces live conferences in the menu (which ones: menu_say_conf_bridge_N).', 'menu_say_conf_bridge=yes', {
    words: ['announce live broadcast in the menu', 'הודעה על שידור חי בתפריט'],
  }),
  key('menu_say_conf_bridge_N', NO_LEADING_SLASH, 'Conference extension N to announce: full path without a leading /; numbered from 1 without gaps.', 'menu_say_conf_bridge_1=1/9/5'),
  key('menu_say_playdir_time', YESNO, 'Menu announcement of PlaydirTime files (folders in menu_say_playdir_time_N).', 'menu_say_playdir_time=yes'),
  key('menu_say_playdir_time_N', NO_LEADING_SLASH, 'Folder N of the PlaydirTime announcement: full path without a leading /.', 'menu_say_playdir_time_1=1/2'),
  key('menu_say_playdir_time_wait', num(0), 'Waiting setting of the PlaydirTime announcement (the reference shows 180; unit not stated).', 'menu_say_playdir_time_wait=180'),
  key('play_file_date', YESNO, 'Plays a dated headline from the PlayDate/ folder.', 'play_file_date=yes', {
    words: ['message of the day', 'headline by date', 'הודעה לפי תאריך'],
  }),
  key('file_to_play_date', TEXT, 'Date pattern of PlayDate/ file names (letters y m d S C Y h M s u U).', 'file_to_play_date=ymd'),
  key('play_file_date_one_time', YESNO, 'The dated headline plays only once.', 'play_file_date_one_time=yes'),
  key('omer_today_play', YESNO, 'Announces today\'s count of the Omer.', 'omer_today_play=yes', {
    words: ['sefirat haomer', 'omer count', 'ספירת העומר'],
  }),
  key('post_with_time', YESNO, 'Plays the temporary message M0001; written with an expiry so it stops at a date.', 'post_with_time(2026-01-01-00-00-00)=yes', {
    words: ['temporary message until a date', 'הודעה זמנית'],
  }),
  key('say_tfr_end', YESNO, 'Plays the "end of menu" tail M1900.', 'say_tfr_end=yes'),
  key('manu_say_last_play', YESNO, 'Announces the LastPlay message in the menu.', 'manu_say_last_play=yes', { sic: true }),
  key('menu_check_playfile_message', YESNO, 'Announces new messages of playfile extensions (listed in menu_check_playfile_message_N).', 'menu_check_playfile_message=yes', {
    words: ['announce new messages', 'הודעה על הודעות חדשות'],
  }),
  key('menu_check_playfile_message_N', TEXT, 'Playfile extension N to check, as a path or name-id; numbered from 1 without gaps.', 'menu_check_playfile_message_1=1/2'),
  key('menu_check_playfile_message_N_say_new_only', YESNO, 'Announce extension N only when it has new messages.', 'menu_check_playfile_message_1_say_new_only=yes'),
];
