import { el } from './dom.js';
import type { Json, ToolResult } from './host.js';
import { t } from './i18n.js';

/** Where the server puts a confirmation's token for the card (src/surface/views.ts CARD_META). */
const CARD_META = 'yemot-mcp/confirm';

export interface Ticket {
  tool: string;
  confirm: string;
  expiresAt: string;
}

export interface Reading {
  ok: boolean;
  /** The structured result, or the error's JSON (the text block: errors carry no structured content). */
  data: Json;
  /** Set when the person is to confirm this call in a card. */
  ticket?: Ticket;
}

function parsed(text: string | undefined): Json {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value && typeof value === 'object' ? (value as Json) : {};
  } catch {
    return { message: text ?? '' };
  }
}

export function read(result: ToolResult): Reading {
  const data = result.structuredContent ?? parsed(result.content?.find((block) => block.type === 'text')?.text);
  const ticket = result._meta?.[CARD_META] as Ticket | undefined;
  return { ok: result.isError !== true, data, ...(ticket && typeof ticket.confirm === 'string' && { ticket }) };
}

/** A result the host could not even deliver (an unknown tool, a closed connection), as a refusal; `next` says what may help. */
export const failed = (error: unknown, next?: string): Reading => ({ ok: false, data: { error: 'HOST_ERROR', message: error instanceof Error ? error.message : String(error), ...(next && { next }) } });

/** A refusal as a person reads it: the stable code, the server's words, and what to do next. */
export function errorBox(data: Json): HTMLElement {
  return el(
    'div',
    { class: 'error', role: 'alert' },
    el('strong', {}, String(data.error ?? 'ERROR')),
    el('p', { dir: 'auto' }, String(data.message ?? '')),
    data.next ? el('p', { dir: 'auto', class: 'muted' }, `${t('next')}: ${String(data.next)}`) : undefined,
  );
}
