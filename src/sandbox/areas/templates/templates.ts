import { fail, type Area, type Params } from '../../handler.js';
import { isPresent, optChoice, optFlag, optInt, optNumber, optString, requireChoice, requireInt, requireString } from '../../params.js';
import { DEFAULT_PREFIXES, importPhoneList, UPDATE_TYPES } from '../../phone-list.js';
import { assertApprovedCaller, LOCAL_PHONE } from '../../phones.js';
import { INCOMING_POLICIES, REDIAL_POLICIES, REMOVE_REQUESTS, YEMOT_CONTEXTS, type AccountState, type Template, type TemplateSettings } from '../../state.js';
import { MAX_TEMPLATE_ENTRIES, newTemplate, templateInfo, templateParam } from '../../templates.js';

/** Templates and their phone lists (API-CATALOG §5, AF posts 470–480). */

function flag(params: Params, name: string): boolean | undefined {
  const value = optFlag(params, name);
  return value === undefined ? undefined : value === 1;
}

/** UpdateTemplate's settings that are present, checked; absent ones stay as they are. */
function settingsUpdate(state: AccountState, params: Params): Partial<TemplateSettings> {
  const callerId = optString(params, 'callerId')?.trim();
  if (callerId !== undefined) assertApprovedCaller(state, callerId);
  const update: Partial<TemplateSettings> = {
    callerId,
    incomingPolicy: optChoice(params, 'incomingPolicy', INCOMING_POLICIES),
    maxActiveChannels: optInt(params, 'maxActiveChannels'),
    maxBridgedChannels: optInt(params, 'maxBridgedChannels'),
    originateTimeout: optNumber(params, 'originateTimeout', { decimals: true }),
    vmDetect: flag(params, 'vmDetect'),
    filterEnabled: flag(params, 'filterEnabled'),
    maxDialAttempts: optInt(params, 'maxDialAttempts'),
    redialWait: optNumber(params, 'redialWait', { decimals: true }),
    redialPolicy: optChoice(params, 'redialPolicy', REDIAL_POLICIES),
    yemotContext: optChoice(params, 'yemotContext', YEMOT_CONTEXTS),
    bridgeTo: optString(params, 'bridgeTo')?.trim(),
    playPrivateMsg: flag(params, 'playPrivateMsg'),
    removeRequest: optChoice(params, 'removeRequest', REMOVE_REQUESTS),
  };
  return Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
}

function entryPhone(params: Params): string {
  const phone = requireString(params, 'phone').trim();
  if (!LOCAL_PHONE.test(phone)) fail(`phone ${phone} is invalid: a local number is expected, like 0501234567`);
  return phone;
}

/** UpdateTemplateEntries' `rowids`: row ids joined with `-` (AF post/478). */
function rowIds(template: Template, text: string): Set<number> {
  const ids = text.split('-').map((part) => part.trim());
  if (ids.some((id) => !/^\d+$/.test(id))) fail(`rowids must be row ids joined with -, like 1-2-3; got ${text}`);
  const unknown = ids.filter((id) => !template.entries.some((entry) => entry.rowid === Number(id)));
  if (unknown.length) fail(`rowids: no row ${unknown.join(', ')} in this template`);
  return new Set(ids.map(Number));
}

export const templates: Area = {
  GetTemplates: {
    handle: ({ state }) => ({ templates: Object.entries(state.templates).map(([id, template]) => templateInfo(state, id, template)) }),
  },
  CreateTemplate: {
    handle({ params, state }) {
      const base = state.templates[state.defaultTemplateId];
      const id = String(state.nextTemplateId++);
      // Documented: the new template's settings are copied from the default template.
      state.templates[id] = newTemplate(optString(params, 'description') ?? null, base.settings);
      return { templateId: Number(id) };
    },
  },
  UpdateTemplate: {
    rules: { maxActiveChannels: { min: 1, max: 1000 }, maxBridgedChannels: { min: 0 }, originateTimeout: { min: 1, max: 120, decimals: true }, maxDialAttempts: { min: 1, max: 10 }, redialWait: { min: 0, decimals: true } },
    handle({ params, state }) {
      const [id, template] = templateParam(state, params);
      const settings = { ...template.settings, ...settingsUpdate(state, params) };
      if (settings.yemotContext === 'BRIDGE' && !settings.bridgeTo) fail('bridgeTo is required when yemotContext is BRIDGE');
      const description = optString(params, 'description');
      const makeDefault = optFlag(params, 'customerDefault');
      template.settings = settings;
      if (description !== undefined) template.description = description;
      if (makeDefault === 1) state.defaultTemplateId = id;
      // Documented reply: `templates`, the updated data in GetTemplates' shape.
      return { templates: [templateInfo(state, id, template)] };
    },
  },
  DeleteTemplate: {
    handle({ params, state }) {
      const [id] = templateParam(state, params);
      if (id === state.defaultTemplateId) fail(`templateId ${id} is the default template and cannot be deleted; make another template the default first`);
      delete state.templates[id];
      for (const name of [`${id}.wav`, `${id}.tts`, `${id}-MoreInfo.wav`]) delete state.campaignFiles.files[name];
      return {};
    },
  },
  GetTemplateEntries: {
    handle({ params, state }) {
      const [id, template] = templateParam(state, params);
      const entries = template.entries.map((entry, position) => ({ rowid: entry.rowid, index: position + 1, phone: entry.phone, blocked: entry.blocked, name: entry.name || null, moreinfo: entry.moreinfo || null }));
      return { templateId: Number(id), entries };
    },
  },
  UpdateTemplateEntry: {
    handle({ params, state }) {
      const [id, template] = templateParam(state, params);
      const blocked = flag(params, 'blocked');
      if (isPresent(params, 'rowid')) {
        const rowid = requireInt(params, 'rowid', { min: 1 });
        const entry = template.entries.find((candidate) => candidate.rowid === rowid) ?? fail(`rowid ${rowid} is not in template ${id}`);
        const phone = isPresent(params, 'phone') ? entryPhone(params) : entry.phone;
        if (template.entries.some((other) => other !== entry && other.phone === phone)) fail(`phone ${phone} is already row ${template.entries.find((other) => other.phone === phone)!.rowid} of this template`);
        Object.assign(entry, { phone, name: optString(params, 'name') ?? entry.name, moreinfo: optString(params, 'moreinfo') ?? entry.moreinfo, blocked: blocked ?? entry.blocked });
        return { templateId: Number(id), rowid };
      }
      const phone = entryPhone(params);
      const existing = template.entries.find((entry) => entry.phone === phone);
      // Documented caution: without rowid an existing phone's row is rewritten, its old name and moreinfo erased.
      const fields = { phone, name: optString(params, 'name') ?? '', moreinfo: optString(params, 'moreinfo') ?? '', blocked: blocked ?? existing?.blocked ?? false };
      if (existing) {
        Object.assign(existing, fields);
        return { templateId: Number(id), rowid: existing.rowid };
      }
      if (template.entries.length >= MAX_TEMPLATE_ENTRIES) fail(`a template holds at most ${MAX_TEMPLATE_ENTRIES} entries`);
      const rowid = template.nextRowId++;
      template.entries.push({ rowid, ...fields });
      return { templateId: Number(id), rowid };
    },
  },
  UpdateTemplateEntries: {
    handle({ params, state }) {
      const [, template] = templateParam(state, params);
      const ids = rowIds(template, requireString(params, 'rowids'));
      const action = requireChoice(params, 'action', ['block', 'unblock', 'delete'] as const);
      if (action === 'delete') template.entries = template.entries.filter((entry) => !ids.has(entry.rowid));
      else for (const entry of template.entries) if (ids.has(entry.rowid)) entry.blocked = action === 'block';
      return {};
    },
  },
  ClearTemplateEntries: {
    handle({ params, state }) {
      const [, template] = templateParam(state, params);
      template.entries = [];
      return {};
    },
  },
  UploadPhoneList: {
    rules: { nameColumns: { min: 0, max: 20 } },
    handle({ params, state }) {
      const [id, template] = templateParam(state, params);
      const data = optString(params, 'data') ?? fail('data is required: the phone list as text, one row per line');
      const delimiter = optString(params, 'delimiter') ?? ',';
      if (delimiter !== 'TAB' && delimiter.length !== 1) fail('delimiter must be one character, or TAB for a tab');
      const result = importPhoneList(template, data, {
        delimiter: delimiter === 'TAB' ? '\t' : delimiter,
        nameColumns: optInt(params, 'nameColumns') ?? 1,
        defaultPrefix: optChoice(params, 'defaultPrefix', DEFAULT_PREFIXES),
        updateType: optChoice(params, 'updateType', UPDATE_TYPES) ?? 'UPDATE',
        blocked: optFlag(params, 'blocked') === 1,
      });
      return { message: 'ok', templateId: Number(id), ...result };
    },
  },
};
