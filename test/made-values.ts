import { expect } from 'vitest';
import type { Input, ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import type { Harness } from './harness.js';
import { wireCommandOf } from './wire.js';

/**
 * An example whose value only another call makes (a running campaign's id, a change in the undo journal): the
 * table-wide tests make it first in the same session, so the example meets the state it was written for.
 */

const byName = new Map(TOOLS.map((spec) => [spec.name, spec]));

/** Calls a tool's example that must succeed first, and answers its result. */
async function step(harness: Harness, name: string, example = 0): Promise<Record<string, unknown>> {
  const result = await harness.call(name, byName.get(name)!.examples[example]);
  expect(result.isError, `${name} first: ${result.text}`).toBe(false);
  return result.json;
}

/** The first example of a tool by its taskType, action or command. */
const exampleIndex = (name: string, choice: string) => byName.get(name)!.examples.findIndex((example) => Object.values(example).includes(choice));

/**
 * Values the demo account does not hold, made first by the call that produces them: per command, the param and
 * how. CampaignAction acts on a running campaign (the demo's is FINISHED); ViewCampaignReports reads a campaign of
 * the `YA-` ledger kind (a SendTTS), by its ledger campaignId without `YA-` (API-CATALOG §5); a task's TaskId is
 * CreateTask's jobId (a MoveOnFile task: no spend); DeleteScheduledCampaign cancels what ScheduleCampaign answered.
 */
const MADE_BY: Record<string, Record<string, (harness: Harness) => Promise<unknown>>> = {
  CampaignAction: { campaignId: async (harness) => (await step(harness, 'run_campaign')).campaignId },
  ViewCampaignReports: {
    CampaignId: async (harness) => {
      await step(harness, 'send_tts');
      const ledger = (await step(harness, 'get_transactions')).transactions as Array<Record<string, unknown>>;
      const line = ledger.find((row) => String(row.description).startsWith('Start-') && String(row.campaignId).startsWith('YA-'));
      expect(line, 'the SendTTS ledger line').toBeDefined();
      return String(line!.campaignId).slice('YA-'.length);
    },
  },
  DeleteScheduledCampaign: { schedId: async (harness) => (await step(harness, 'schedule_campaign')).schedId },
  // undo_change takes back a change the undo journal holds: change_extension's first example makes one.
  // Once its change holds, the example changes nothing more: the journal's newest change is then the one to undo.
  UploadTextFile: {
    id: async (harness) => (await step(harness, 'change_extension')).changeId ?? ((await step(harness, 'list_changes')).changes as Array<{ changeId: string }>)[0].changeId,
  },
  ...Object.fromEntries(
    ['GetTasksData', 'GetTasksLogs', 'UpdateTask', 'DeleteTask'].map((command) => [
      command,
      { TaskId: async (harness: Harness) => (await step(harness, 'create_task', exampleIndex('create_task', 'MoveOnFile'))).jobId },
    ]),
  ),
};

/** The example with the values MADE_BY names made first in this session. */
export async function withMadeValues(harness: Harness, spec: ToolSpec, args: Input): Promise<Input> {
  const made = MADE_BY[wireCommandOf(spec, args)] ?? {};
  const values = await Promise.all(Object.entries(made).map(async ([param, make]) => (param in args ? [[param, await make(harness)]] : [])));
  return { ...args, ...Object.fromEntries(values.flat()) };
}

/**
 * Tools whose first example reads a state no param names: list_changes lists the undo journal, empty in a new
 * session, so it sends nothing until a change is made (change_extension's first example makes one).
 */
const MADE_FIRST: Record<string, (harness: Harness) => Promise<unknown>> = {
  list_changes: (harness) => step(harness, 'change_extension'),
};

/** Values this server keeps itself (a change in its undo journal), checked before anything is sent. */
const LOCAL_VALUES = new Set(['UploadTextFile']);

/**
 * The example made ready in this session: the state it reads made first, and the values MADE_BY names. `local`:
 * only what this server checks before sending (the journal); a value only the API checks is left as written, for a
 * test whose fault answers in the API's place.
 */
export async function readyExample(harness: Harness, spec: ToolSpec, args: Input, only?: 'local'): Promise<Input> {
  await MADE_FIRST[spec.name]?.(harness);
  if (only === 'local' && !LOCAL_VALUES.has(wireCommandOf(spec, args))) return args;
  return withMadeValues(harness, spec, args);
}
