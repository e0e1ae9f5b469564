// Types of bench/big-transfers.mjs for the test that imports it.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const MB: number;
export interface FakeApi {
  url: string;
  received(): number;
  close(): Promise<void>;
}
export function fakeApi(sizes: { fileBytes: number; answerBytes: number }): Promise<FakeApi>;
export function rssOf(pid: number): number;
export function measureTransfer(options: {
  entry: string;
  api: FakeApi;
  dir: string;
  tool: string;
  small: Record<string, unknown>;
  big: Record<string, unknown>;
}): Promise<{ result: CallToolResult; before: number; peak: number; added: number; ms: number }>;
