import { describe, expect, it } from 'vitest';
import { TOOLS } from '../src/tools/index.js';
import { createSearch } from '../src/surface/search.js';

/**
 * What an IVR owner would ask, in English and Hebrew, and the tool that does it. Discovery search (no model,
 * no network) must put that tool in its first three results for at least 36 of the 40.
 */
const REQUESTS: Array<[string, string]> = [
  ['upload a greeting to extension 3', 'upload_file'],
  ['כמה יחידות נשארו', 'read_account'],
  ['who is waiting in the queue', 'get_queue_realtime'],
  ['שלח הודעת SMS', 'send_sms'],
  ['צינתוק לרשימה', 'run_tzintuk'],
  ['הורד הקלטה', 'download_file'],
  ['hang up a call', 'act_on_calls'],
  ['run a campaign tonight', 'schedule_campaign'],
  ['who logged in to my system', 'read_security'],
  ['move 50 units to my other system', 'transfer_units'],
  ['call a list of numbers and read them a message', 'send_tts'],
  ['what files are in folder 1', 'read_ivr'],
  ['change the settings of extension 5', 'change_extension'],
  ['מחק את הקובץ 001.wav', 'delete_files'],
  ['מי מדבר עכשיו במערכת', 'get_incoming_calls'],
  ['show the text messages people sent me', 'get_incoming_sms'],
  ['was my SMS delivered', 'get_sms_out_log'],
  ['add a phone number to the campaign list', 'update_template_entry'],
  ['import contacts from a CSV file', 'upload_phone_list'],
  ['stop the campaign that is running', 'campaign_action'],
  ['how far along is my campaign', 'get_campaign_status'],
  ['הפעל קמפיין עכשיו', 'run_campaign'],
  ['approve a new caller ID', 'validate_caller_id'],
  ['אילו מספרים מאושרים לזיהוי שיחה', 'get_approved_caller_ids'],
  ['create a SIP account for a new phone', 'create_sip_account'],
  ['is my SIP phone registered', 'get_sip_registration_status'],
  ['send an SMS every morning at 8', 'create_task'],
  ['שנה את הסיסמה של המערכת', 'set_password'],
  ['שלח פקס', 'send_fax'],
  ['connect my phone to a customer, click to call', 'create_bridge_call'],
  ['מוזיקה בהמתנה', 'music_on_hold'],
  ['kick a caller out of the queue', 'manage_queue'],
  ['שלח לי קוד אימות', 'mfa_send_code'],
  ['הוסף כתובת IP מהימנה', 'mfa_set_trust_ips'],
  ['פירוט חיובים של יחידות', 'get_transactions'],
  ['רשימת התבניות שלי', 'read_templates'],
  ['copy a recording to another folder', 'copy_move_files'],
  ['תוצאות ההצבעה בשלוחה', 'render_ymgr_file'],
  ['disconnect every session', 'kill_sessions'],
  ['מי נרשם לרשימת הצינתוקים', 'tzintuk_lists'],
];

describe('discovery search over the whole table', () => {
  const search = createSearch(TOOLS);
  const ranked = REQUESTS.map(([query, tool]) => {
    const top = search(query).slice(0, 3).map((match) => match.spec.name);
    return { query, tool, top, hit: top.includes(tool) };
  });

  it('names only tools of the table', () => {
    const names = new Set(TOOLS.map((spec) => spec.name));
    for (const [, tool] of REQUESTS) expect(names, tool).toContain(tool);
    expect(REQUESTS).toHaveLength(40);
  });

  it('puts the right tool in the top three for at least 36 of 40 requests', () => {
    const hits = ranked.filter((row) => row.hit).length;
    const misses = ranked.filter((row) => !row.hit).map((row) => `  "${row.query}" wants ${row.tool}, got ${row.top.join(', ') || 'nothing'}`);
    process.stderr.write(`discovery search: ${hits}/${REQUESTS.length} in the top three\n${misses.join('\n')}\n`);
    expect(hits).toBeGreaterThanOrEqual(36);
  });

  it('finds nothing for words the table does not carry', () => {
    expect(search('bake a pizza')).toEqual([]);
    expect(search('the of to')).toEqual([]);
  });
});
