import { describe, expect, it } from 'vitest';
import { CONFIRM_PARAM } from '../src/call/confirm.js';
import { REPEAT_PARAM } from '../src/call/spend-guard.js';
import { actionChoices, actionOf, actionParamOf, authOf, commandsOf, EFFECT_RANK, effectOf, escalationOf, type Effect, type ToolSpec } from '../src/call/command.js';
import { TOOLSETS } from '../src/call/toolsets.js';
import { describeTool } from '../src/surface/describe.js';
import { TOOLS } from '../src/tools/index.js';
import { INSTRUCTIONS, instructionsFor } from '../src/surface/instructions.js';
import { loadConfig } from '../src/config.js';
import { validate } from '../src/call/schema.js';
import { CATALOGUED, DOCUMENTED, INDEXED } from './documented.js';

const ALL_COMMANDS = new Set(TOOLS.flatMap(commandsOf));
const HARD_ACTIONS = ['addMethod', 'reValidMethod', 'validMethod', 'deleteMethod', 'getMFATrustTokens', 'deleteTrustToken', 'getMFATrustIps', 'setMFATrustIps'];

/**
 * What tools/list must say per effect, stated here rather than read from the code that produces it: the two hints
 * hosts confirm by (readOnlyHint only when true: false is the MCP default, and what a host reads when it is absent;
 * destructiveHint always, on a tool that changes the account); idempotentHint and openWorldHint left at the MCP
 * defaults (false, true), which are right for every tool (each reaches a telephony account; no write is idempotent
 * by contract).
 */
const EXPECTED_ANNOTATIONS = {
  read: { readOnlyHint: true },
  write: { destructiveHint: false },
  irreversible: { destructiveHint: true },
  delete: { destructiveHint: true },
  spend: { destructiveHint: true },
};
/** Params of this server's own that write on its machine (issue 25: saving a download is a write). */
const LOCAL_EFFECTS: Record<string, Record<string, Effect>> = { download_file: { saveTo: 'write' } };

describe('the command index in docs/', () => {
  it('reads the 23 seed commands, their action values and the catalogue of the rest', () => {
    expect(INDEXED).toHaveLength(23);
    expect(INDEXED.find((entry) => entry.command === 'MFASession')?.actions).toHaveLength(13);
    expect(INDEXED.find((entry) => entry.command === 'QueueCallBack')?.actions).toEqual(['getQueues', 'getList', 'removeNumber']);
    expect(INDEXED.find((entry) => entry.command === 'SipExtensionManagement')?.actions).toEqual(['Get', 'Set']);
    expect(INDEXED.find((entry) => entry.command === 'RenderYMGRFile')?.actions).toEqual([]);
    expect(CATALOGUED.length).toBeGreaterThan(50);
    expect(CATALOGUED.map((entry) => entry.command)).toEqual(expect.arrayContaining(['UploadFile', 'DownloadFile', 'RunCampaign']));
  });
});

/** A tool of one request; a view or a change set sends several (`reads`, `writes`). */
const isPlain = (spec: ToolSpec) => !spec.reads && !spec.writes;
/** The plain tools that read with a command. */
const readersOf = (command: string) =>
  TOOLS.filter((spec) => isPlain(spec) && commandsOf(spec).includes(command) && effectOf(spec, spec.selects === 'command' ? command : undefined) === 'read').map((spec) => spec.name);

describe('the command table', () => {
  it('implements every command of COMMANDS.md, and only documented commands', () => {
    const implemented = new Set(TOOLS.flatMap(commandsOf));
    for (const { command } of INDEXED) expect(implemented, command).toContain(command);
    for (const command of implemented) expect(DOCUMENTED.has(command), `${command} is in neither COMMANDS.md nor API-CATALOG.md`).toBe(true);
  });

  it('counts every command of a command family (read_ivr) as implemented', () => {
    const family = TOOLS.find((spec) => spec.name === 'read_ivr')!;
    // Stated from the issue (12), not read from the entry: the reads folded into one tool.
    expect(commandsOf(family).sort()).toEqual(['CheckIfFileExists', 'CheckIfFolderExists', 'GetFile', 'GetIVR2Dir', 'GetIVR2DirStats', 'GetTextFile']);
    expect(actionParamOf(family)).toBe('command');
  });

  it('reaches every documented command and action exactly once', () => {
    /** A family's choices are commands, not action values: it reaches each of its commands without an action. */
    const actionsFor = (spec: ToolSpec) => (spec.selects === 'command' ? [] : Object.keys(spec.actions ?? {}));
    const commands = new Set(TOOLS.flatMap(commandsOf));
    for (const command of commands) {
      const documented = DOCUMENTED.get(command)!;
      // A tool of several requests (a view, a change set) sends commands of its own choosing (next test).
      const tools = TOOLS.filter((spec) => isPlain(spec) && commandsOf(spec).includes(command));
      const reached = tools.flatMap(actionsFor);
      expect(new Set(reached).size, `${command}: an action reached twice`).toBe(reached.length);
      // A command without actions belongs to one plain tool at most; with actions, each tool reaches some of them.
      if (!reached.length) expect(tools.length, `${command}: reached by two tools`).toBeLessThanOrEqual(1);
      else expect(tools.every((spec) => actionsFor(spec).length > 0), `${command}: reached with and without an action`).toBe(true);
      // The index lists action values; a catalogue section names them in its text.
      if (documented.source === 'COMMANDS.md') expect(reached.sort(), command).toEqual([...documented.actions].sort());
      else for (const action of reached) expect(documented.text, `${command} ${action}`).toMatch(new RegExp(`\\b${action}\\b`));
    }
  });

  it('builds views from reads only: each command a view sends is a read another tool reaches', () => {
    const views = TOOLS.filter((spec) => !isPlain(spec) && spec.effect === 'read');
    // Stated from the issues (28, 27), not read from the table.
    expect(views.map((spec) => spec.name).sort()).toEqual(['dry_run_call', 'ivr_tree', 'list_changes', 'lookup_setting']);
    for (const view of views) {
      expect(view.transfer, view.name).toBeTypeOf('function');
      expect(view.writes, view.name).toBeUndefined();
      for (const command of commandsOf(view)) expect(readersOf(command), `${view.name} ${command}`).toEqual(['read_ivr']);
    }
  });

  it('builds change sets from documented writes, reading only what read tools read', () => {
    const composed = TOOLS.filter((spec) => !isPlain(spec) && spec.effect !== 'read');
    // Issue 27: every write of an IVR file reads it first (the diff, the undo journal, the guardrails).
    expect(composed.map((spec) => spec.name).sort()).toEqual(['change_extension', 'create_extension', 'delete_files', 'undo_change', 'write_text_file']);
    for (const spec of composed) {
      expect(spec.transfer, spec.name).toBeTypeOf('function');
      for (const command of spec.reads ?? []) expect(readersOf(command).length, `${spec.name} reads ${command}`).toBeGreaterThan(0);
      for (const command of [spec.command, ...(spec.writes ?? [])]) expect(DOCUMENTED.has(command), `${spec.name} writes ${command}`).toBe(true);
    }
  });

  it('marks the eight hard actions, and only those, as needing hard authentication', () => {
    const hard = TOOLS.flatMap((spec) => Object.keys(spec.actions ?? {}).filter((action) => authOf(spec, action) === 'hard'));
    expect(hard.sort()).toEqual([...HARD_ACTIONS].sort());
    for (const spec of TOOLS) if (spec.command !== 'MFASession') expect(authOf(spec, actionOf(spec, {})), spec.name).toBe('pass');
  });

  it('has short, unique, safe names, and unique titles', () => {
    const names = TOOLS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(TOOLS.map((spec) => spec.title.toLowerCase())).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z][a-z0-9_]{2,39}$/);
      expect(`mcp__yemot__${name}`.length).toBeLessThanOrEqual(64);
    }
  });

  it('puts every tool in a known toolset', () => {
    for (const spec of TOOLS) expect(TOOLSETS).toContain(spec.toolset);
  });

  describe.each(TOOLS.map((spec) => [spec.name, spec] as const))('%s', (_name, spec) => {
    const definition = describeTool(spec);

    it('uses API parameter names, never token, each described', () => {
      const properties = definition.inputSchema.properties as Record<string, { description?: string }>;
      expect(properties).not.toHaveProperty('token');
      for (const [key, property] of Object.entries(properties)) {
        expect(key).toMatch(/^[A-Za-z0-9_]{1,64}$/);
        // The server's own confirm and repeat are explained once, by the instructions and the answers that ask for them;
        // the action selector's values are the Yemot names the description lists.
        const selector = key === actionParamOf(spec) && actionChoices(spec).length > 0;
        if (key !== CONFIRM_PARAM && key !== REPEAT_PARAM && !selector) expect(property.description, key).toBeTruthy();
      }
    });

    it('has a plain object input schema without top-level combinators or date formats', () => {
      expect(definition.inputSchema.type).toBe('object');
      for (const key of ['anyOf', 'oneOf', 'allOf', 'not']) expect(definition.inputSchema).not.toHaveProperty(key);
      expect(JSON.stringify(definition.inputSchema)).not.toMatch(/date-time|"format":"(uuid|email)"/);
    });

    // Hosts show the title in their approval prompts (Claude Desktop): a person reads it, so it is plain words; the
    // Yemot names an agent and the vendor's docs share stay in the description (and the selector's values).
    it('has a short human title, and names every Yemot command and action value in its description', () => {
      expect(definition.title).toMatch(/^[A-Z][A-Za-z0-9 ,'().-]{2,39}$/);
      for (const command of ALL_COMMANDS) expect(definition.title).not.toContain(command);
      for (const name of [...commandsOf(spec), ...Object.keys(spec.actions ?? {})]) {
        expect(definition.description).toMatch(new RegExp(`(?<!\\w|\\w:)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w|:\\w)`));
      }
    });

    it('derives annotations from an effect no weaker than any action', () => {
      for (const action of Object.keys(spec.actions ?? {})) {
        expect(EFFECT_RANK[effectOf(spec, action)]).toBeLessThanOrEqual(EFFECT_RANK[spec.effect]);
      }
      expect(spec.localEffects ?? {}).toEqual(LOCAL_EFFECTS[spec.name] ?? {});
      for (const param of Object.keys(spec.localEffects ?? {})) expect(spec.local).toContain(param);
      // An input that escalates a call (update_task active: 1 spends), or a local param that writes on this machine
      // (saveTo), makes the tool as strong as its strongest call.
      const strongest = [
        spec.effect,
        ...Object.keys(spec.actions ?? { '': {} }).flatMap((action) => escalationOf(spec, action || undefined)?.to ?? []),
        ...Object.values(LOCAL_EFFECTS[spec.name] ?? {}),
      ].reduce((a, b) => (EFFECT_RANK[b] > EFFECT_RANK[a] ? b : a));
      expect(definition.annotations).toEqual(EXPECTED_ANNOTATIONS[strongest]);
    });

    it('lists only declared params in action needs and uses, and in narrowWith', () => {
      for (const rules of Object.values(spec.actions ?? {})) {
        for (const param of [...(rules.needs ?? []), ...(rules.uses ?? [])]) expect(Object.keys(spec.params)).toContain(param);
      }
      if (spec.narrowWith) expect(Object.keys(spec.params)).toContain(spec.narrowWith);
    });

    it('has a valid example for every action, and each example is one of its actions', () => {
      const actions = Object.keys(spec.actions ?? {});
      const exemplified = new Set(spec.examples.map((example) => actionOf(spec, example)));
      for (const action of actions) expect(exemplified, `no example for ${action}`).toContain(action);
      for (const example of spec.examples) {
        expect(validate(spec, example), JSON.stringify(example)).toMatchObject({ ok: true });
        if (actions.length) expect(actions, JSON.stringify(example)).toContain(actionOf(spec, example));
      }
    });

    it('accepts its example and refuses an unknown field by name', () => {
      expect(validate(spec, spec.examples[0])).toMatchObject({ ok: true });
      const refused = validate(spec, { ...spec.examples[0], bogusField: 1 });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.problems.join()).toContain('bogusField');
      if (actionChoices(spec).length) {
        const noAction = validate(spec, {});
        expect(noAction.ok).toBe(false);
        if (!noAction.ok) expect(noAction.problems.join()).toContain(actionParamOf(spec));
      }
    });

    it('says how to confirm a spend or delete, and how to check an unknown outcome', () => {
      if (spec.effect === 'spend' || spec.effect === 'delete') expect(spec.confirm, 'confirm').toBeTypeOf('function');
      if (spec.verifyWith) expect(TOOLS.map((other) => other.name)).toContain(spec.verifyWith);
    });
  });
});

describe('judging an OK answer (the outcome hooks)', () => {
  const judged = (name: string, answer: Record<string, unknown>, input: Record<string, unknown> = {}) => TOOLS.find((spec) => spec.name === name)!.outcome!(answer, input, {} as never);

  it('treats a wrong code for a new method like one for the session', () => {
    for (const name of ['mfa_verify_code', 'mfa_verify_method']) {
      expect(judged(name, { mfa_valid_status: 'UNVALID', mfa_valid_left: 2 }), name).toMatchObject({ failure: 'MFA_CODE_INVALID', details: { attemptsLeft: 2 } });
      expect(judged(name, { mfa_valid_status: 'OVERTRY', mfa_valid_left: 0 }), name).toMatchObject({ failure: 'MFA_CODE_EXPIRED' });
      expect(judged(name, { mfa_valid_status: 'VALID' }), name).toBeUndefined();
    }
    // reValidMethod answers without a status: a code was sent, nothing to judge.
    expect(judged('mfa_verify_method', { message: 'the code send' })).toBeUndefined();
  });

  it('tells a partial delete from none', () => {
    expect(judged('delete_sip_account', { affected_rows: 1 }, { accountNumber: [3, 4] })).toEqual({ warning: 'Only 1 of 2 account(s) were deleted.' });
    expect(judged('delete_sip_account', { affected_rows: 0 }, { accountNumber: 3 })).toMatchObject({ failure: 'NOTHING_DONE' });
    expect(judged('delete_sip_account', { affected_rows: 2 }, { accountNumber: [3, 4] })).toBeUndefined();
  });

  it('judges the numbers the API sends as strings by their value (nothing placed is "0" too)', () => {
    expect(judged('send_tts', { OKCalls: '0', ErrorCalls: { '0501234567': 'invalid' } })).toMatchObject({ failure: 'NOTHING_DONE' });
    expect(judged('send_tts', { OKCalls: '2', ErrorCalls: {} })).toBeUndefined();
    expect(judged('delete_sip_account', { affected_rows: '0' }, { accountNumber: 3 })).toMatchObject({ failure: 'NOTHING_DONE' });
    expect(judged('delete_sip_account', { affected_rows: '1' }, { accountNumber: [3, 4] })).toEqual({ warning: 'Only 1 of 2 account(s) were deleted.' });
  });
});

describe('server instructions', () => {
  const instructions = (argv: string[]) => instructionsFor(loadConfig(argv, {}).policy);
  const OFF_LINE = /^- ([a-z_]+): (.+)$/;

  it('keep the order of work under 600 characters and name the two-factor order', () => {
    expect(INSTRUCTIONS.length).toBeLessThan(600);
    expect(INSTRUCTIONS).toMatch(/mfa_try.*mfa_send_code.*mfa_verify_code/);
    expect(instructions(['--toolsets', 'all'])).toBe(INSTRUCTIONS);
  });

  // Raised from 600 for issue 29: one line per toolset that is off, so an agent can say it exists and how it is turned on.
  it('name each toolset that is off, one line each with what it adds, and how it is turned on', () => {
    const text = instructions([]);
    expect(text.length).toBeLessThan(1_400);
    expect(text).toContain('NOT_ENABLED');
    expect(text).toContain('YEMOT_TOOLSETS');
    const lines = text.split('\n').filter((line) => OFF_LINE.test(line));
    // Stated from the README's toolset table: what a default install leaves off.
    expect(lines.map((line) => OFF_LINE.exec(line)![1])).toEqual(['campaign_admin', 'files_admin', 'account_admin', 'caller_ids', 'queues', 'tasks', 'calls', 'security', 'sip', 'mfa_admin']);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120);
  });

  it('say which tools of an off toolset are named on, and which effects are not allowed', () => {
    const named = instructions(['--tools', 'send_tts']);
    expect(named).toMatch(/^- campaigns: .*\(on: send_tts\)$/m);
    expect(named).toMatch(/^- sms: /m);
    expect(named.length).toBeLessThan(1_900);
    expect(instructions(['--read-only', '--toolsets', 'all'])).toMatch(/Not allowed here, so not listed: write \(.*\); irreversible \(.*\); delete \(.*\); spend \(.*\)\. The operator adds them to YEMOT_ALLOW; calling such a tool answers NOT_ENABLED with the setting\.$/);
    expect(instructions(['--toolsets', 'all', '--allow', 'read,write'])).not.toContain('Off here');
  });
});
