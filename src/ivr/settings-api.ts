import { ABSOLUTE, FILE, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey, ValueKind } from './settings-types.js';

const { key, goto } = table(['api'], 'KB/api');
/** We require https for the webhook: every request carries the caller's number and all collected input. */
const WEBHOOK: ValueKind = { kind: 'url', https: true };
const URL_ANY: ValueKind = { kind: 'url' };

/** `api_*_send=no` stops one parameter of §4.2; Yemot sends it unless told not to. */
const sendFlag = (name: string, parameter: string, extra: Partial<SettingKey> = {}): SettingKey =>
  key(name, YESNO, `no = do not send ${parameter}.`, `${name}=no`, { default: 'yes', ...extra });

/** type=api (§4.1, §4.2, §4.3, §4.5). */
export const API_KEYS: SettingKey[] = [
  key('api_link', WEBHOOK, 'URL of your server that Yemot calls at each step; without it the caller hears M1609 and leaves.', 'api_link=https://example.com/yemot', {
    words: ['webhook url', 'server address', 'api url', 'endpoint', 'callback url', 'קישור API', 'כתובת השרת', 'כתובת API', 'לינק לשרת'],
  }),
  key('api_url', WEBHOOK, 'Legacy name of api_link, written by one client when api_link does not show.', 'api_url=https://example.com/yemot', {
    confidence: 'F~',
    source: 'SIV',
  }),
  key('api_url_post', YESNO, 'yes = send a POST form body instead of a GET query.', 'api_url_post=yes', {
    words: ['send as post', 'post request', 'בקשת POST', 'שליחה בפוסט'],
  }),
  key('api_dir', ABSOLUTE, 'Folder whose files the dialogue plays and where it records; default this extension; must start with /.', 'api_dir=/5/6'),
  key('api_add_N', TEXT, 'A fixed extra parameter name=value sent with every request; numbered from 0 without gaps.', 'api_add_0=foo=111', {
    words: ['extra parameter', 'fixed parameter', 'פרמטר נוסף'],
  }),
  sendFlag('api_call_id_send', 'ApiCallId'),
  sendFlag('api_phone_send', 'ApiPhone (the caller\'s number)'),
  sendFlag('api_did_send', 'ApiDID (the system\'s main number)'),
  sendFlag('api_real_did_send', 'ApiRealDID (the number dialled); set by one client, not in the staff pages', { confidence: 'F~', source: 'SIV' }),
  sendFlag('api_extension_send', 'ApiExtension (the current extension)'),
  sendFlag('api_enter_id_send', 'ApiEnterID'),
  sendFlag('api_enter_id_name_send', 'ApiEnterIDName'),
  sendFlag('api_time_send', 'ApiTime'),
  key('api_yf_call_id_send', YESNO, 'Set to yes by one client; meaning unknown.', 'api_yf_call_id_send=yes', { confidence: 'F~', source: 'SIV' }),
  key('api_add_directed_phone', YESNO, 'yes = also send ReferredFrom, the redirecting number.', 'api_add_directed_phone=yes'),
  key('api_hangup_link', URL_ANY, 'Where the hang-up notice (hangup=yes) goes; default api_link.', 'api_hangup_link=https://example.com/hangup', {
    words: ['hang up notification url', 'הודעה על ניתוק'],
  }),
  key('api_hangup_send', YESNO, 'no = no hang-up notice.', 'api_hangup_send=no', { default: 'yes' }),
  goto('api_end_goto', 'end', 'Where the caller goes when the server\'s answer names no destination; default back one level.', 'api_end_goto=/', {
    words: ['after the api dialogue', 'when the server is done', 'בסיום ה API', 'לאן לעבור בסוף שיחת ה API'],
  }),
  key('api_NNN', TEXT, 'Question NNN (file NNN) asked before the first request; fields as part 2 of read.', 'api_000=Name,,10,1,7,Digits'),
  key('api_NNN_key_X_say', FILE, 'Plays this file when question NNN is answered X, then asks again.', 'api_000_key_1_say=100'),
  key('api_answer_WORD', TEXT, 'Action run when the server answers the bare word WORD (after WORD.wav plays).', 'api_answer_OK=go_to_folder=/1'),
  key('api_answer_WORD_N', TEXT, 'Further action N for the answer WORD; numbered from 1 without gaps.', 'api_answer_OK_1=go_to_folder=/1'),
  key('read_answer_VAR_VALUE', TEXT, 'Action taken locally, without calling the server, when a read gives VALUE for VAR.', 'read_answer_choice_1=go_to_folder=/1'),
  key('say_api_answer', YESNO, 'Reads a bare-word answer by text-to-speech instead of playing WORD.wav.', 'say_api_answer=yes'),
  key('api_say_tts', YESNO, 'Speech-input option (no = off; its effect is not spelled out).', 'api_say_tts=no'),
  key('api_voice_ask_ok', YESNO, 'Asks the caller to confirm recognised speech.', 'api_voice_ask_ok=yes'),
  key('api_save_file', YESNO, 'Keeps speech-input recordings (recycle bin ApiVoice).', 'api_save_file=yes'),
  key('api_record_beep', YESNO, 'no = no beep before API recordings.', 'api_record_beep=no', { default: 'yes' }),
  key('api_add_replace_space', YESNO, 'Sends + for spaces in values.', 'api_add_replace_space=yes'),
  key('api_wait_answer_music_on_hold', YESNO, 'Hold music while waiting for the server (silence otherwise).', 'api_wait_answer_music_on_hold=yes', {
    words: ['music while waiting for the server', 'hold music during the api request', 'מוזיקה בהמתנה לשרת', 'מוזיקה בזמן ההמתנה לתשובה'],
  }),
  key('api_wait_answer_music_on_hold_different', TEXT, 'Name of another hold music for that wait.', 'api_wait_answer_music_on_hold_different=Vocal'),
  key('api_wait_answer_music_on_hold_continue_all_sends', YESNO, 'Keeps the hold music across all requests.', 'api_wait_answer_music_on_hold_continue_all_sends=yes'),
  key('api_send_webhook_error_link', URL_ANY, 'Where Yemot POSTs when a file item of an answer fails.', 'api_send_webhook_error_link=https://example.com/error'),
  key('api_log', YESNO, 'no = do not log requests and answers in Log/LogApi.ymgr.', 'api_log=no', {
    default: 'yes',
    words: ['api log', 'stop logging', 'לוג API'],
  }),
  key('global_folder_check', YESNO, 'f- items look in the local folder, then in global_folder_share.', 'global_folder_check=yes'),
  key('global_folder_share', ABSOLUTE, 'Shared folder searched by global_folder_check.', 'global_folder_share=/library'),
];
