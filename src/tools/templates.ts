import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type Input, type Transfer } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { listNumbers } from '../call/preview.js';
import { callerId, joinedList, zeroOrOne } from '../call/params.js';
import { localText } from '../call/transfers.js';
import { multiline } from '../call/sendable.js';

/** Templates (תבניות): a campaign's settings, messages and phone list. */

/** What a list that is replaced or emptied holds now: the person weighs "replace the whole list" by what is in it. */
async function entriesNote(ctx: ToolContext, templateId: unknown, signal?: AbortSignal): Promise<{ note: string }> {
  const { count, blocked = 0 } = await listNumbers(ctx, `tpl:${String(templateId)}`, signal);
  if (count === undefined) return { note: `Template ${String(templateId)}'s list could not be read: check it with read_templates GetTemplateEntries before saying yes.` };
  return { note: `Template ${String(templateId)} holds ${count + blocked} phone(s) now${blocked ? `, ${blocked} of them blocked` : ''}.` };
}

/** The rows an import brings, as the person will recognise them: how many, and the first numbers. */
async function importNote(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<{ note: string }> {
  const list = await entriesNote(ctx, input.templateId, signal);
  const text = typeof input.data === 'string' ? input.data : await localText(ctx, 'upload_phone_list', String(input.localFile));
  const separator = input.delimiter === undefined ? ',' : input.delimiter === 'TAB' ? '\t' : String(input.delimiter);
  const rows = text.split(/\r?\n/).filter((row) => row.trim() !== '');
  const first = rows.slice(0, 3).map((row) => row.split(separator)[0].trim());
  return { note: `${list.note} The import has ${rows.length} row(s)${first.length ? ` (${first.join(', ')}${rows.length > first.length ? ', …' : ''})` : ''}.` };
}

export const templateId = z.number().int().min(1).describe('From read_templates (not the number on the site)');
const templateShape = z.looseObject({ templateId: z.unknown(), description: z.unknown(), entriesCount: z.unknown(), unitsPerMessage: z.unknown() });
const rowids = joinedList(z.number().int().min(1), '-', 'Row id (rowid from read_templates GetTemplateEntries)', 5000);

const templateSettings = {
  description: z.string().max(200).optional().describe('The campaign name'),
  callerId: callerId('Caller ID (must be approved)').optional(),
  incomingPolicy: z.enum(['OPEN', 'BLACKLIST', 'WHITELIST', 'BLOCKED']).optional().describe('Incoming calls (default template only)'),
  customerDefault: z.literal(1).optional().describe('1 = make it the default template'),
  maxActiveChannels: z.number().int().min(1).max(1000).optional().describe('Calls at once'),
  maxBridgedChannels: z.number().int().min(0).max(1000).optional().describe('0 = unlimited'),
  originateTimeout: z.number().min(1).max(120).optional().describe('Seconds to ring'),
  vmDetect: zeroOrOne('Detect voicemail').optional(),
  filterEnabled: zeroOrOne('Only personal numbers').optional(),
  maxDialAttempts: z.number().int().min(1).max(10).optional().describe('Attempts per number'),
  redialWait: z.number().min(0).max(86_400).optional().describe('Seconds between attempts'),
  redialPolicy: z.enum(['NONE', 'CONGESTIONS', 'FAILED']).optional().describe('Which calls are redialled'),
  yemotContext: z.enum(['SIMPLE', 'REPEAT', 'MESSAGE', 'VOICEMAIL', 'BRIDGE']).optional().describe('What an answered call gets'),
  bridgeTo: z.string().max(300).optional().describe('Where to bridge (with BRIDGE)'),
  playPrivateMsg: zeroOrOne('Play private messages').optional(),
  removeRequest: z.enum(['SILENT', 'WITH_MESSAGE']).optional().describe('Removal requests'),
};

const templatesOf = (answer: Record<string, unknown>) => (Array.isArray(answer.templates) ? (answer.templates as Array<Record<string, unknown>>) : []);

/** Whether a text file exists: GetTextFile answers it, or refuses (no such file); anything else is not known. */
async function textExists(ctx: ToolContext, what: string, signal?: AbortSignal): Promise<boolean | undefined> {
  try {
    await ctx.session.call('GetTextFile', { what }, { retry: true, signal });
    return true;
  } catch (error) {
    if (error instanceof YemotError && error.code === 'API_ERROR') return false;
    return undefined;
  }
}

/** One template: GetTemplates narrowed to it, with whether it has an SMS text (GetTextFile tpl:ID:tts), which GetTemplates does not say. */
const oneTemplate: Transfer = async ({ ctx, command, signal }, wire) => {
  if (command !== 'GetTemplates' || wire.templateId === undefined) return undefined;
  const { answer } = await ctx.session.call('GetTemplates', {}, { retry: true, signal });
  const template = templatesOf(answer).find((item) => String(item.templateId) === String(wire.templateId));
  if (!template) throw new YemotError('NOT_FOUND', `templateId: template ${String(wire.templateId)} does not exist`, { command, hint: 'read_templates without templateId lists them.' });
  const smsText = await textExists(ctx, `tpl:${String(wire.templateId)}:tts`, signal);
  return { kind: 'json', answer: { ...answer, templates: [{ ...template, ...(smsText !== undefined && { smsTextExists: smsText }) }] } };
};

/** What a template would send, from GetTemplates' own fields: a voice message, phones not blocked, an SMS text where read. */
function withReadiness(result: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(result.templates)) return result;
  const templates = templatesOf(result).map((template) => ({
    ...template,
    has: {
      voiceMessage: template.messageExists === true,
      activePhones: Number(template.entriesCount ?? 0) - Number(template.blockedEntriesCount ?? 0),
      ...(typeof template.smsTextExists === 'boolean' && { smsText: template.smsTextExists }),
    },
  }));
  return { ...result, templates };
}

export const templateTools = [
  tool({
    name: 'read_templates',
    title: 'Campaign templates and lists',
    keywords: ['תבניות', 'רשימת תבניות', 'קמפיינים', 'templates', 'my campaigns'],
    command: 'GetTemplates',
    selects: 'command',
    toolset: 'campaigns',
    effect: 'read',
    summary:
      "Campaign templates (with templateId: one, its SMS text by GetTextFile), or one's phone list. Set its voice message by upload_file tpl:ID, its SMS text by write_text_file tpl:ID:tts.",
    actions: { GetTemplates: { uses: ['templateId'] }, GetTemplateEntries: { needs: ['templateId'] } },
    params: { templateId: templateId.optional() },
    transfer: oneTemplate,
    derive: withReadiness,
    output: {
      templates: z.array(templateShape),
      entries: z.array(z.looseObject({ rowid: z.unknown(), phone: z.unknown(), blocked: z.unknown() })),
    },
    examples: [{ command: 'GetTemplates' }, { command: 'GetTemplateEntries', templateId: 1 }],
  }),
  tool({
    name: 'create_template',
    title: 'Create a campaign template',
    command: 'CreateTemplate',
    toolset: 'campaign_admin',
    effect: 'write',
    summary: 'Create a campaign template (settings copied from the default template); answers templateId.',
    keywords: ['תבנית חדשה', 'קמפיין חדש', 'new campaign'],
    params: { description: z.string().min(1).max(200).describe('The campaign name') },
    output: { templateId: z.number() },
    verifyWith: 'read_templates',
    examples: [{ description: 'תזכורת הורים' }],
  }),
  tool({
    name: 'update_template',
    title: "Change a template's settings",
    command: 'UpdateTemplate',
    toolset: 'campaign_admin',
    effect: 'write',
    summary: "Change a template's settings (only the ones given); answers the template as it now is.",
    keywords: ['הגדרות תבנית', 'הגדרות קמפיין', 'campaign settings'],
    params: { templateId, ...templateSettings },
    check: (input) => (input.yemotContext === 'BRIDGE' && input.bridgeTo === undefined ? ['bridgeTo: required with yemotContext BRIDGE'] : []),
    output: { templates: z.array(templateShape), template: templateShape },
    verifyWith: 'read_templates',
    examples: [{ templateId: 1, description: 'Parents', maxActiveChannels: 10, redialPolicy: 'FAILED' }],
  }),
  tool({
    name: 'delete_template',
    title: 'Delete a campaign template',
    command: 'DeleteTemplate',
    toolset: 'campaign_admin',
    effect: 'delete',
    summary: 'Delete a campaign template with its phone list.',
    keywords: ['מחק תבנית', 'מחק קמפיין'],
    params: { templateId },
    output: {},
    confirm: (input) => `DeleteTemplate will delete template ${String(input.templateId)} and its phone list.`,
    verifyWith: 'read_templates',
    examples: [{ templateId: 2 }],
  }),
  tool({
    name: 'update_template_entry',
    title: 'Add or edit a list phone',
    command: 'UpdateTemplateEntry',
    toolset: 'campaign_admin',
    effect: 'write',
    summary: "Add a phone to a template's list, or change one row (by rowid). Without rowid an existing phone's row is rewritten: its name and moreinfo are erased unless given.",
    keywords: ['הוסף מספר', 'איש קשר', 'רשימת תפוצה', 'add', 'contact', 'campaign list'],
    params: {
      templateId,
      rowid: z.number().int().min(1).optional().describe('Row to change; omit to add'),
      phone: callerId('Phone').optional(),
      name: z.string().max(200).optional().describe("The person's name"),
      moreinfo: z.string().max(1000).optional().describe('Extra data (the personal text with ttsMode)'),
      blocked: zeroOrOne('Blocked').optional(),
    },
    check: (input) => (input.rowid === undefined && input.phone === undefined ? ['phone: required when adding a row (no rowid)'] : []),
    output: {},
    verifyWith: 'read_templates',
    examples: [{ templateId: 1, phone: '0501234567', name: 'משה' }, { templateId: 1, rowid: 1, blocked: 1 }],
  }),
  tool({
    name: 'update_template_entries',
    title: 'Block or delete list rows',
    command: 'UpdateTemplateEntries',
    toolset: 'campaign_admin',
    effect: 'delete',
    summary: "Block, unblock or delete many rows of a template's list (rowids from read_templates GetTemplateEntries).",
    actions: { block: { effect: 'write' }, unblock: { effect: 'write' }, delete: {} },
    params: { templateId, rowids },
    output: {},
    confirm: (input) => `UpdateTemplateEntries ${String(input.action)} will act on ${Array.isArray(input.rowids) ? input.rowids.length : 1} row(s) of template ${String(input.templateId)}.`,
    verifyWith: 'read_templates',
    examples: [
      { action: 'block', templateId: 1, rowids: [1, 2, 3] },
      { action: 'unblock', templateId: 1, rowids: 1 },
      { action: 'delete', templateId: 1, rowids: [2, 3] },
    ],
  }),
  tool({
    name: 'clear_template_entries',
    title: "Empty a template's list",
    keywords: ['רוקן', 'רוקן רשימה', 'נקה רשימה', 'empty', 'clear', 'wipe'],
    command: 'ClearTemplateEntries',
    toolset: 'campaign_admin',
    effect: 'delete',
    summary: "Empty a template's phone list.",
    params: { templateId },
    output: {},
    confirm: (input) => `ClearTemplateEntries will remove every phone of template ${String(input.templateId)}.`,
    quote: (ctx, input, signal) => entriesNote(ctx, input.templateId, signal),
    verifyWith: 'read_templates',
    examples: [{ templateId: 1 }],
  }),
  tool({
    name: 'upload_phone_list',
    title: 'Import a phone list',
    command: 'UploadPhoneList',
    toolset: 'campaigns',
    effect: 'delete',
    summary:
      "Import a CSV phone list into a template: UPDATE adds, NEW replaces the list, REMOVE removes them.",
    keywords: ['ייבוא', 'אנשי קשר', 'אקסל', 'excel', 'contacts', 'import'],
    actionParam: 'updateType',
    actions: { UPDATE: { effect: 'write' }, NEW: {}, REMOVE: {} },
    params: {
      templateId,
      data: multiline(z.string().min(1).max(10_000_000).describe('Rows: phone,name[,moreinfo…]')).optional(),
      localFile: z.string().min(1).max(1000).optional().describe('A CSV in YEMOT_FILES_DIR'),
      nameColumns: z.number().int().min(0).max(20).optional().describe('Name columns; default 1'),
      defaultPrefix: z.enum(['02', '03', '04', '08', '09', '077', '072', '073']).optional().describe('For 7-digit numbers'),
      delimiter: z.string().min(1).max(3).optional().describe('Default ","; TAB for tab'),
      blocked: zeroOrOne('Import rows blocked').optional(),
    },
    check: (input) => (input.data === undefined === (input.localFile === undefined) ? ['data, localFile: give exactly one of them'] : []),
    local: ['localFile'],
    prepare: async (ctx, input) => {
      if (input.data !== undefined) return input;
      return { ...input, data: await localText(ctx, 'upload_phone_list', input.localFile as string) };
    },
    output: {
      totalParsed: z.number(),
      totalInserted: z.number(),
      totalUpdated: z.number(),
      totalRemoved: z.number(),
      rejectedRecords: z.array(z.looseObject({ phone: z.unknown(), errorState: z.unknown(), originalRowNumber: z.unknown() })),
    },
    outcome: (answer) => {
      const rejected = Array.isArray(answer.rejectedRecords) ? answer.rejectedRecords.length : 0;
      return rejected ? { warning: `${rejected} row(s) were refused (rejectedRecords: DUPLICATE or INVALID, with their row numbers).` } : undefined;
    },
    confirm: (input) =>
      input.updateType === 'NEW' ? `UploadPhoneList NEW will replace the whole list of template ${String(input.templateId)}.` : `UploadPhoneList REMOVE will remove the listed phones from template ${String(input.templateId)}.`,
    quote: importNote,
    verifyWith: 'read_templates',
    examples: [
      { updateType: 'UPDATE', templateId: 1, data: '0501234567,משה\n0527654321,שרה' },
      { updateType: 'NEW', templateId: 1, data: '0501234567\tמשה', delimiter: 'TAB', nameColumns: 1, blocked: 0 },
      { updateType: 'REMOVE', templateId: 1, data: '0501111111' },
    ],
  }),
];
