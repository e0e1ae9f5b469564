import type { Answer, ToolSpec } from './command.js';
import type { ToolContext } from './context.js';
import type { Interaction } from './interaction.js';

/**
 * A secret the person needs and the agent must not hold (a new SIP account's password): redacted from everything from
 * now on, and put behind a one-time link of this server. Where the client opens links for the person (URL
 * elicitation) the link never reaches the conversation; elsewhere the result carries the link, never the secret.
 */
export async function handOver(ctx: ToolContext, spec: ToolSpec, answer: Answer, interaction: Interaction): Promise<Record<string, unknown>> {
  const secret = spec.handOver && answer[spec.handOver.field];
  // An operator who set YEMOT_REVEAL_SECRETS=1 sees SIP passwords in results: then the answer shows it (present.ts).
  if (!spec.handOver || ctx.reveal || (typeof secret !== 'string' && typeof secret !== 'number') || String(secret) === '') return {};
  ctx.secrets.add(String(secret));
  const title = spec.handOver.title(answer);
  const link = await ctx.secretLink(String(secret), title);
  if (interaction.canUrl) {
    const reply = await interaction.url(`${title}: open the link to see it once (it is not shown to the assistant).`, link).catch(() => undefined);
    if (reply?.action === 'accept') return { forPerson: { note: `${spec.handOver.field} was offered to the person through a one-time link they opened; it is not shown here.` } };
  }
  const where = onThisComputer(link) ? " It opens only on the computer this server runs on (over HTTP, the operator's YEMOT_PUBLIC_URL gives it a public address)." : '';
  return { forPerson: { link, note: `Give the person this link: it shows ${spec.handOver.field} once, within 15 minutes. Do not open it yourself.${where}` } };
}

/** A loopback link: an owner who reads it on a phone or another computer finds nothing there (an agent's trial). */
function onThisComputer(link: string): boolean {
  const host = new URL(link).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
