import { listOf, NO_LEADING_SLASH, num, oneOf, PHONE, table, TEXT, YESNO } from './settings-build.js';
import type { SettingKey } from './settings-types.js';

const routing = table(['routing'], 'KB/routing');
const queue = table(['queue'], 'KB/queue');
const GUESSED = { confidence: 'G' as const };

/** type=routing (§2.2). Routing is billed per minute; routing_any_phone lets any caller dial anywhere (§5 #13). */
const ROUTING_KEYS: SettingKey[] = [
  routing.key('routing_to_phone', PHONE, 'The number the call is forwarded to, or by_incoming_did.', 'routing_to_phone=0501234567', {
    also: ['by_incoming_did'],
    words: ['forward calls to my mobile', 'forward to a phone number', 'transfer the call', 'call forwarding', 'הפניית שיחות לנייד', 'העברת שיחה לטלפון', 'ניתוב שיחה למספר', 'מספר להעברה'],
  }),
  routing.key('routingN', PHONE, 'Number N of a list of numbers to forward to (+44…, +1… allowed).', 'routing1=0501234567', {
    words: ['several numbers to forward to', 'כמה מספרים לניתוב'],
  }),
  routing.key('routing_start', num(1), 'Which number of the list to start dialling from.', 'routing_start=2'),
  routing.key('routing_multiple', YESNO, 'Rings several numbers at once (routing_multiple_numbers).', 'routing_multiple=yes', {
    words: ['ring all at once', 'צלצול במקביל'],
  }),
  routing.key('routing_multiple_numbers', listOf('number'), 'Which list numbers ring together, e.g. 1,3.', 'routing_multiple_numbers=1,3'),
  routing.key('routing_count', YESNO, 'Counts calls per number (routing_count_N).', 'routing_count=yes'),
  routing.key('routing_count_N', num(0), 'Count limit of number N.', 'routing_count_1=5'),
  routing.key('routing_count_wait_menu', YESNO, 'A waiting menu while the counted numbers are busy.', 'routing_count_wait_menu=yes'),
  routing.key('routing_count_wait_menu_play', num(0), 'Setting of the waiting menu\'s playback (the reference shows 4).', 'routing_count_wait_menu_play=4'),
  routing.goto('routing_count_wait_menu_goto', 'other', 'Where the waiting menu sends the caller.', 'routing_count_wait_menu_goto=/'),
  routing.key('routing_any_phone', YESNO, 'Lets the caller dial any number (costly and dangerous).', 'routing_any_phone=yes', {
    words: ['caller dials any number', 'חיוג לכל מספר'],
  }),
  routing.key('music_on_hold', oneOf(['no', 'ztomao', 'ztomao+patiach', 'Vocal'], true), 'Music the caller hears while the call is put through: a name, no, ztomao, ztomao+patiach, Vocal.', 'music_on_hold=Vocal', {
    words: ['hold music', 'waiting music', 'מוזיקה בהמתנה', 'מוזיקת המתנה'],
  }),
  routing.key('routing_your_id', oneOf(['did', 'real_did', 'special_random'], true), 'Caller ID shown to the called number: did, real_did, special.<approved number>, special_random; can go in ivr.ini.', 'routing_your_id=did', {
    words: ['caller id when forwarding', 'which number the callee sees', 'מספר מזוהה בהעברה', 'זיהוי שיחה בניתוב'],
  }),
  routing.key('routing_your_id_add', num(0, 999999), 'Up to 6 digits added to the shown caller ID.', 'routing_your_id_add=12'),
  routing.key('call_no_answer', YESNO, 'Forwarding without answering the incoming call first (our reading of the name).', 'call_no_answer=yes', GUESSED),
  routing.key('routing_answer_play', YESNO, 'Plays M1692 to the one who answers.', 'routing_answer_play=yes', { words: ['announce the call to the answerer', 'הודעה למקבל השיחה'] }),
  routing.key('routing_answer_tfr', YESNO, 'The answerer gets a menu to accept the call.', 'routing_answer_tfr=yes', { words: ['accept call menu', 'אישור קבלת שיחה'] }),
  routing.goto('routing_answer_tfr_hangup_goto', 'other', 'Where the caller goes when the answerer declines in that menu.', 'routing_answer_tfr_hangup_goto=/'),
  routing.key('routing_end_time', num(1), 'Seconds to ring before giving up.', 'routing_end_time=20', {
    words: ['how long to ring', 'ring time', 'זמן צלצול', 'כמה זמן לצלצל'],
  }),
  routing.key('routing_record', YESNO, 'no = do not record forwarded calls (they are recorded by default).', 'routing_record=no', {
    default: 'yes',
    words: ['record forwarded calls', 'call recording', 'הקלטת שיחות', 'לא להקליט את השיחה'],
  }),
  routing.key('routing_email_send', oneOf(['cancel'], true), 'cancel = no e-mail report of forwarded calls.', 'routing_email_send=cancel'),
  routing.key('routing_email_address', TEXT, 'E-mail address for call reports.', 'routing_email_address=office@example.com', {
    words: ['email report of calls', 'דוח שיחות למייל'],
  }),
  routing.key('routing_email_name', TEXT, 'Sender name of the report e-mail.', 'routing_email_name=Office'),
  routing.key('routing_email_without_report', YESNO, 'E-mail without the report part.', 'routing_email_without_report=yes', GUESSED),
  routing.key('routing_ok_allow_caller_hangup', YESNO, 'Caller hang-up option once connected.', 'routing_ok_allow_caller_hangup=yes', GUESSED),
  routing.key('routing_ok_allow_callee_hangup', YESNO, 'Callee hang-up option once connected.', 'routing_ok_allow_callee_hangup=yes', GUESSED),
  routing.key('routing_end_next', YESNO, 'After the call the caller stays in the IVR.', 'routing_end_next=yes'),
  routing.goto('routing_end_goto', 'end', 'Where the caller goes when forwarding ends or fails.', 'routing_end_goto=/', {
    words: ['after the forwarded call', 'no answer from the mobile', 'אחרי השיחה', 'אם לא עונים'],
  }),
  routing.key('routing_log_file_type', oneOf(['year', 'month', 'week', 'day'], true), 'Period of the routing log files.', 'routing_log_file_type=month'),
];

/** type=queue, its ext.ini keys (§2.2). queue.ini keys are left out on purpose: that file is not ext.ini and some
 * of its names (timeout, retry) would collide with ext.ini keys of other meaning. */
const QUEUE_KEYS: SettingKey[] = [
  queue.key('queue_caller_id', PHONE, 'Caller ID shown to agents: customer_did, real_did or an approved number.', 'queue_caller_id=customer_did', {
    also: ['customer_did', 'real_did'],
    words: ['caller id shown to agents', 'מספר מזוהה לנציגים'],
  }),
  queue.key('queue_your_id_add', num(0), 'Digits added to the caller ID shown to agents.', 'queue_your_id_add=1'),
  queue.key('queue_position', num(0), 'Queue position setting (the reference shows 1).', 'queue_position=1', {
    words: ['announce the position in queue', 'מיקום בתור'],
  }),
  queue.goto('queue_exit', 'key', 'Where a caller who leaves the queue by key goes.', 'queue_exit=/5/8', {
    words: ['leave the queue', 'exit the queue', 'יציאה מהתור'],
  }),
  queue.key('queue_timeout', num(1), 'Longest wait in the queue, in seconds.', 'queue_timeout=600', {
    default: '600',
    words: ['queue hold time', 'how long callers wait in the queue', 'maximum wait', 'זמן המתנה בתור', 'כמה זמן לחכות בתור'],
  }),
  queue.goto('queue_end_timeout_goto', 'timeout', 'Where the caller goes when queue_timeout runs out.', 'queue_end_timeout_goto=/', {
    words: ['waited too long in the queue', 'נגמר זמן ההמתנה בתור'],
  }),
  queue.key('queue_timeout_calls_hangup_max_time', num(1), 'Time limit in seconds of a call answered from the queue (our reading; see its _goto).', 'queue_timeout_calls_hangup_max_time=60', GUESSED),
  queue.goto('queue_timeout_calls_hangup_max_time_goto', 'timeout', 'Where the caller goes when that time limit ends.', 'queue_timeout_calls_hangup_max_time_goto=/'),
  queue.key('queue_answer_tfr', YESNO, 'The agent gets a menu to accept the call (costs half a unit).', 'queue_answer_tfr=yes'),
  queue.key('queue_answer_tfr_no_sip', YESNO, 'That accept menu, except for SIP agents.', 'queue_answer_tfr_no_sip=yes', GUESSED),
  queue.goto('queue_end_answer_tfr_goto', 'other', 'Where the caller goes after the agent\'s accept menu.', 'queue_end_answer_tfr_goto=/'),
  queue.goto('queue_end_continue_goto', 'end', 'Where the caller goes when the call with the agent ends.', 'queue_end_continue_goto=/'),
  queue.goto('queue_end_full_goto', 'other', 'Where the caller goes when the queue is full.', 'queue_end_full_goto=/', {
    words: ['queue is full', 'התור מלא'],
  }),
  queue.goto('queue_end_no_members_goto', 'other', 'Where the caller goes when no agents are available.', 'queue_end_no_members_goto=/', {
    words: ['no agents', 'אין נציגים'],
  }),
  queue.goto('queue_not_active_goto', 'other', 'Where the caller goes when the queue is inactive (queueactive=0).', 'queue_not_active_goto=/', {
    words: ['queue closed', 'התור סגור'],
  }),
  queue.goto('queue_end_goto', 'end', 'Where the caller goes when the queue module ends.', 'queue_end_goto=/'),
  queue.key('queue_record_send_mail', YESNO, 'E-mails the recordings of queue calls.', 'queue_record_send_mail=yes', {
    words: ['email the call recordings', 'הקלטות למייל'],
  }),
  queue.key('queue_email_address', TEXT, 'E-mail address for queue recordings.', 'queue_email_address=office@example.com'),
  queue.key('queue_email_name', TEXT, 'Sender name of those e-mails.', 'queue_email_name=Office'),
  queue.key('queue_record_duplicate_link', NO_LEADING_SLASH, 'Folder that gets a link to each queue recording (written like 1/1/).', 'queue_record_duplicate_link=1/1/'),
];

export const ROUTING_AND_QUEUE_KEYS: SettingKey[] = [...ROUTING_KEYS, ...QUEUE_KEYS];
