import { YemotError } from '../client/errors.js';
import { EFFECTS, effectsOf, type Effect, type ToolSpec } from '../call/command.js';
import { selectTools, type Policy } from '../call/policy.js';
import { TOOLSET_TABLE, TOOLSETS, type Toolset } from '../call/toolsets.js';
import { TOOLS } from '../tools/index.js';
import { createSearch } from './search.js';

/**
 * What the operator's settings leave out, in words an agent can pass on: the toolsets that are off (for the
 * instructions and search), and why one tool of the table is not served (NOT_ENABLED, never a protocol error: the
 * capability exists, and the person can have it turned on). The settings are named as the operator writes them,
 * with the field of the Claude Desktop form beside each.
 */

const SETTING = {
  toolsets: 'YEMOT_TOOLSETS (--toolsets; Claude Desktop: "Tool groups")',
  allow: 'YEMOT_ALLOW (--allow; Claude Desktop: "Allowed actions", "Read-only" unticked)',
  exclude: 'YEMOT_EXCLUDE_TOOLS (--exclude-tools)',
} as const;

export interface OffToolset {
  toolset: Toolset;
  summary: string;
  /** Its tools the operator named one by one (YEMOT_TOOLS): these are served. */
  named: string[];
}

/** The toolsets not registered, each with what it adds. */
export function offToolsets(policy: Policy): OffToolset[] {
  return TOOLSETS.filter((toolset) => toolset !== 'mfa' && !policy.toolsets.has(toolset)).map((toolset) => ({
    toolset,
    summary: TOOLSET_TABLE[toolset].summary,
    named: TOOLS.filter((spec) => spec.toolset === toolset && policy.tools.has(spec.name)).map((spec) => spec.name),
  }));
}

/** The effects the policy leaves out, in the order of EFFECTS; empty when everything is allowed. */
export const effectsLeftOut = (policy: Policy) => EFFECTS.filter((effect) => !policy.allow.has(effect));

const DOES: Record<Effect, string> = { read: 'reads', write: 'writes', irreversible: 'makes changes that cannot be undone', delete: 'deletes', spend: 'spends units' };

/** Why a tool of the table is not served: each reason with the setting that turns it on. */
function reasonsOff(spec: ToolSpec, policy: Policy): Array<{ reason: string; fix: string; setting: string }> {
  const reasons = [];
  if (policy.exclude.has(spec.name)) reasons.push({ reason: 'the operator excluded it', fix: `takes it out of ${SETTING.exclude}`, setting: 'YEMOT_EXCLUDE_TOOLS' });
  if (!policy.toolsets.has(spec.toolset) && !policy.tools.has(spec.name)) {
    reasons.push({
      reason: `its toolset ${spec.toolset} (${TOOLSET_TABLE[spec.toolset].summary}) is off`,
      fix: `adds ${spec.toolset} to ${SETTING.toolsets}, e.g. YEMOT_TOOLSETS=default,${spec.toolset}, or names ${spec.name} in YEMOT_TOOLS`,
      setting: 'YEMOT_TOOLSETS',
    });
  }
  const effects = [...new Set(effectsOf(spec))];
  if (!effects.some((effect) => policy.allow.has(effect))) {
    reasons.push({
      reason: `it ${effects.map((effect) => DOES[effect]).join(' or ')}, and the operator allows only ${[...policy.allow].join(', ')}${policy.allow.size === 1 ? ' (read-only)' : ''}`,
      fix: `allows ${effects.join(' or ')} in ${SETTING.allow}`,
      setting: 'YEMOT_ALLOW',
    });
  }
  return reasons;
}

/** A tool of the table this policy does not serve, as the refusal an agent gets; undefined for a served or unknown name. */
export function notEnabled(name: string, policy: Policy): YemotError | undefined {
  const spec = TOOLS.find((candidate) => candidate.name === name);
  if (!spec || selectTools([spec], policy).length) return undefined;
  const reasons = reasonsOff(spec, policy);
  return new YemotError('NOT_ENABLED', `${name} (${spec.title}) exists but is not enabled on this server: ${reasons.map((r) => r.reason).join('; ')}`, {
    hint: `Nothing was sent. Tell the person; to use it, the operator ${reasons.map((r) => r.fix).join(', and ')}, and restarts the server.`,
    details: { tool: name, toolset: spec.toolset, settings: reasons.map((r) => r.setting) },
  });
}

let searchAll: ReturnType<typeof createSearch> | undefined;

/**
 * What to say of a name no tool has: the nearest tools of the whole table by its words (`copy_file` → copy_move_files),
 * each marked when this server does not serve it. An agent that guessed a name took "Unknown tool" for "not enabled".
 */
export function unknownToolText(given: string, policy: Policy): string {
  const name = given.length > 100 ? `${given.slice(0, 100)}…` : given;
  searchAll ??= createSearch(TOOLS);
  const near = searchAll(name.replace(/[_\W]+/g, ' ')).slice(0, 3).map(({ spec }) => (selectTools([spec], policy).length ? spec.name : `${spec.name} (toolset ${spec.toolset}, off here)`));
  return `Unknown tool: ${name}.${near.length ? ` Nearest by name: ${near.join(', ')}.` : ''}`;
}
