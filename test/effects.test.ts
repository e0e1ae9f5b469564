import { describe, expect, it } from 'vitest';
import { effectOf, escalationOf, needsYes } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';

/**
 * Every action of every tool with its effect, written out (issue 24): read, write, irreversible (a write that cannot
 * be taken back), delete, spend (units flow now or later), the input that makes a call stronger, and the writes that
 * still ask the person first (issue 27: a change set of an extension's settings, undoable but met by callers at
 * once). Policy, annotations, confirmation and the README derive from the table; this is what the table must say.
 */
const EFFECTS: Record<string, string | Record<string, string>> = {
  mfa_status: { isPass: 'read' },
  mfa_try: { try: 'write' },
  mfa_list_methods: { getMFAMethods: 'read' },
  mfa_send_code: { sendMFA: 'write' },
  mfa_verify_code: { validMFA: 'write' },
  send_tts: 'spend',
  bridge_calls_to_extension: 'spend',
  read_templates: { GetTemplates: 'read', GetTemplateEntries: 'read' },
  create_template: 'write',
  update_template: 'write',
  delete_template: 'delete',
  update_template_entry: 'write',
  update_template_entries: { block: 'write', unblock: 'write', delete: 'delete' },
  clear_template_entries: 'delete',
  upload_phone_list: { UPDATE: 'write', NEW: 'delete', REMOVE: 'delete' },
  run_campaign: 'spend',
  get_campaign_status: 'read',
  campaign_action: { add: 'spend', block: 'write', hangup: 'irreversible', stop: 'irreversible', setPaused: 'write (spend when value 0 resumes the campaign: calls go out again)', setMaxActiveChannels: 'write', setMaxBridgedChannels: 'write' },
  campaign_reports: { GetActiveCampaigns: 'read', DownloadCampaignReport: 'read', ViewCampaignReports: 'read', GetScheduledCampaigns: 'read' },
  schedule_campaign: 'spend',
  delete_scheduled_campaign: 'delete',
  read_ivr: { 'GetIVR2Dir': 'read', 'GetIVR2DirStats': 'read', CheckIfFolderExists: 'read', CheckIfFileExists: 'read', GetFile: 'read', GetTextFile: 'read' },
  render_ymgr_file: 'read',
  write_text_file: 'write (asks first when callers meet a settings file (.ini) or a spoken text (.tts) at once)',
  copy_move_files: { copy: 'write', move: 'write' },
  delete_files: { delete: 'delete' },
  upload_file: 'write (asks first when a named file replaces what callers hear under that name)',
  download_file: 'read',
  ivr_tree: 'read',
  dry_run_call: 'read',
  lookup_setting: 'read',
  change_extension: 'write (asks first: callers meet a settings change at once)',
  create_extension: 'write (asks first: callers reach a new extension at once, and undo_change cannot take it back)',
  list_changes: 'read',
  undo_change: 'write (asks first: an undo writes the old file over what is there now, or deletes a file the change created)',
  send_sms: 'spend',
  get_sms_out_log: 'read',
  get_sms_transactions: 'read',
  get_incoming_sms: 'read',
  run_tzintuk: 'spend',
  tzintuk_lists: { getlists: 'read', getlistEnteres: 'read', getLogList: 'read' },
  reset_tzintuk_list: { resetList: 'delete' },
  get_approved_caller_ids: 'read',
  check_caller_id: 'read',
  set_secondary_did_usage: 'write',
  validate_caller_id: { send: 'spend', valid: 'write' },
  get_queue_realtime: 'read',
  manage_queue: { kick: 'delete', pause: 'write', unpause: 'write' },
  list_queue_callbacks: { getQueues: 'read', getList: 'read' },
  remove_queue_callback: { removeNumber: 'delete' },
  music_on_hold: { GetMusicOnHoldByPath: 'read', CreateMusicOnHolds: 'write', DeleteMusicOnHolds: 'delete' },
  read_account: { GetSession: 'read', GetCustomerData: 'read', GetIncomingSum: 'read' },
  set_customer_details: 'write',
  transfer_units: 'spend',
  get_transactions: 'read',
  get_pirsum_phone_status: { GetRegistrationStatus: 'read' },
  set_pirsum_phone_registration: { Registration: 'write', UnRegistration: 'write' },
  get_incoming_calls: 'read',
  act_on_calls: { 'set:GOasap': 'write (irreversible when target hangup ends the calls)', 'set:ConfbridgeNewGoto': 'write (irreversible when target hangup ends the calls)', 'set:Clanguage': 'write', 'path:add': 'write', 'path:remove': 'write', kick: 'irreversible', mute: 'write', unmute: 'write', raisehand: 'write', lowerhand: 'write' },
  create_bridge_call: 'spend',
  send_fax: 'spend',
  read_tasks: { GetTasks: 'read', GetTasksData: 'read', GetTasksLogs: 'read' },
  create_task: { SendSMS: 'spend', RunTzintuk: 'spend', MoveOnFile: 'write' },
  update_task: 'write (spend when active: 1 restarts a task that may send SMS or ring)',
  delete_task: 'delete',
  read_security: { GetAllSessions: 'read', GetLoginLog: 'read', ValidationToken: 'read' },
  kill_sessions: { KillSession: 'delete', KillAllSessions: 'delete' },
  set_password: 'irreversible',
  create_sip_account: 'write',
  list_sip_accounts: 'read',
  set_sip_to_wss: 'write',
  set_sip_to_udp: 'write',
  edit_sip_caller_id: 'write',
  delete_sip_account: 'delete',
  get_sip_extension: { Get: 'read' },
  set_sip_extension: { Set: 'write (irreversible when without extNumber the binding is removed)' },
  get_sip_contexts: 'read',
  get_sip_registration_status: 'read',
  mfa_add_method: { addMethod: 'write' },
  mfa_verify_method: { reValidMethod: 'write', validMethod: 'write' },
  mfa_delete_method: { deleteMethod: 'delete' },
  mfa_list_trust: { getMFATrustTokens: 'read', getMFATrustIps: 'read' },
  mfa_delete_trust_token: { deleteTrustToken: 'delete' },
  mfa_set_trust_ips: { setMFATrustIps: 'write (asks first: a trusted address passes two-factor without a code, and the list is replaced whole)' },
};

describe('the effect of every action', () => {
  it('is the one stated here, for every tool and action of the table', () => {
    const actual = Object.fromEntries(
      TOOLS.map((spec) => {
        const actions = Object.keys(spec.actions ?? {});
        const label = (action: string | undefined) => {
          const escalation = escalationOf(spec, action);
          const asks = spec.confirmed ? ` (asks first${spec.confirmed.when ? ' when' : ':'} ${spec.confirmed.why})` : '';
          return `${effectOf(spec, action)}${escalation ? ` (${escalation.to} when ${escalation.why})` : ''}${asks}`;
        };
        return [spec.name, actions.length ? Object.fromEntries(actions.map((action) => [action, label(action)])) : label(undefined)];
      }),
    );
    expect(actual).toEqual(EFFECTS);
  });

  it('makes every escalation fire on the input it names, and only on it', () => {
    const update = TOOLS.find((spec) => spec.name === 'update_task')!;
    expect(effectOf(update, undefined, { TaskId: 1, active: 1 })).toBe('spend');
    expect(effectOf(update, undefined, { TaskId: 1, active: 0 })).toBe('write');
    const calls = TOOLS.find((spec) => spec.name === 'act_on_calls')!;
    expect(effectOf(calls, 'set:GOasap', { target: ' HangUp ' })).toBe('irreversible');
    expect(effectOf(calls, 'set:GOasap', { target: '/1/2' })).toBe('write');
  });

  it('asks first for the writes that say so, on the input they name, and only on it', () => {
    const asks = (name: string, input: Record<string, unknown>) => needsYes(TOOLS.find((spec) => spec.name === name)!, 'write', input);
    expect(asks('write_text_file', { what: 'ivr2:/1/ext.ini' })).toBe(true);
    expect(asks('write_text_file', { what: 'ivr2:/ivr.ini' })).toBe(true);
    expect(asks('write_text_file', { what: 'ivr2:/1/000.tts' })).toBe(true);
    expect(asks('write_text_file', { what: 'ivr2:/1/names.txt' })).toBe(false);
    // A named file may replace one that callers hear, with no copy kept; a numbered one is always new.
    expect(asks('upload_file', { path: 'ivr2:/1/M1000.wav' })).toBe(true);
    expect(asks('upload_file', { path: 'ivr2:/1/000.wav' })).toBe(true);
    expect(asks('upload_file', { path: 'tpl:3' })).toBe(true);
    expect(asks('upload_file', { path: 'ivr2:/1', autoNumbering: true })).toBe(false);
    expect(asks('change_extension', { path: 'ivr2:/1', set: { title: 'x' } })).toBe(true);
    // Agents found a new extension live at once and beyond undo_change, where a settings change asks first.
    expect(asks('create_extension', { path: 'ivr2:/9', type: 'menu' })).toBe(true);
    expect(asks('update_task', { TaskId: 1 })).toBe(false);
    expect(needsYes(TOOLS.find((spec) => spec.name === 'delete_files')!, 'delete', {})).toBe(true);
  });
});
