import { ABSOLUTE, num, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey } from './settings-types.js';

const goTo = table(['go_to_folder'], 'KB/goto');
const byCount = table(['go_to_folder_count'], 'KB/goto');
const byDate = table(['go_to_folder_date'], 'KB/goto');
const byTime = table(['go_to_folder_time'], 'KB/goto');
const byList = table(['go_to_folder_from_list_all_information'], 'KB/goto');
const playAndReturn = table(['play_and_return'], 'KB/par');

/** The go_to_folder family (§2.2, §3.1) and type=play_and_return. */
export const GOTO_KEYS: SettingKey[] = [
  goTo.goto('go_to_folder', 'other', 'Where this extension sends the caller (type=go_to_folder; with go_to_folder_count: below the limit).', 'go_to_folder=/1/1', {
    modules: ['go_to_folder', 'go_to_folder_count'],
    words: ['jump to another extension', 'redirect to extension', 'מעבר לשלוחה אחרת', 'הפניה לשלוחה'],
  }),
  goTo.key('go_to_folder_from_file', YESNO, 'Target by caller ID from FileGoToFolder.ini (ID=target).', 'go_to_folder_from_file=yes', {
    modules: ['go_to_folder', 'go_to_folder_from_list_all_information'],
    words: ['route each caller to their own extension', 'מעבר לפי מספר מתקשר'],
  }),
  goTo.key('go_to_folder_from_file_name', YESNO, 'Target by name from FileGoToFolderName.ini.', 'go_to_folder_from_file_name=yes'),
  goTo.key('go_to_folder_from_file_location_file', ABSOLUTE, 'Where the FileGoToFolder.ini to read lives (a file location: full path).', 'go_to_folder_from_file_location_file=/1/2'),
  byCount.key('go_to_folder_count', num(1), 'How many concurrent callers go to go_to_folder; beyond it go_to_folder_big.', 'go_to_folder_count=50', {
    words: ['route by number of listeners', 'מעבר לפי כמות מאזינים'],
  }),
  byCount.goto('go_to_folder_big', 'other', 'Where callers go above the count (else the folder\'s files play while they wait).', 'go_to_folder_big=/2'),
  byDate.key('go_to_folder_date', TEXT, 'Date/time pattern naming the sub-folder to go to (letters as in file_to_play_date).', 'go_to_folder_date=ymd', {
    words: ['folder by date', 'שלוחה לפי תאריך'],
  }),
  byDate.goto('go_to_folder_date_error_goto', 'error', 'Where the caller goes when no folder matches the date.', 'go_to_folder_date_error_goto=/'),
  byTime.key('go_to_folder_time_N', TEXT, 'Rule N: <path>.<HH:MM-HH:MM>.<weekday range>.<day range>.<month range> (* = any; first match wins).', 'go_to_folder_time_1=/1.08:00-17:00.sun-thu.*.*', {
    words: ['route by time of day', 'opening hours', 'office hours', 'ניתוב לפי שעות', 'שעות פעילות', 'לפי שעה ויום'],
  }),
  byTime.goto('go_to_folder_time_error_goto', 'error', 'Where the caller goes when no time rule matches.', 'go_to_folder_time_error_goto=/', {
    words: ['outside opening hours', 'מחוץ לשעות הפעילות'],
  }),
  byList.key('value_number', num(1), 'Which ListAllInformation.ini column decides the route.', 'value_number=8'),
  byList.key('go_to_folder_val', YESNO, 'Go to the folder named by that value.', 'go_to_folder_val=yes'),
  byList.key('go_to_folder_if_big', TEXT, 'Threshold routing: value:target-if-bigger:target-otherwise.', 'go_to_folder_if_big=10:big:small'),
  byList.goto('go_to_folder_default', 'error', 'Where the caller goes when no mapping matches.', 'go_to_folder_default=/'),
  playAndReturn.key('play_and_return_play_all', YESNO, 'M0002 cannot be skipped.', 'play_and_return_play_all=yes', {
    words: ['cannot skip the message', 'לשמוע את כל ההודעה בלי לדלג'],
  }),
  playAndReturn.goto('play_and_return_end_go_to', 'end', 'Where the caller goes after M0002; default back one level.', 'play_and_return_end_go_to=/', {
    words: ['after the announcement', 'אחרי ההודעה'],
  }),
];
