/** What the connected client can do for us, without knowing the MCP SDK. */
export interface ElicitReply {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}

export interface FormSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}

/** A confirmation the person gives in a view's card: the tool to call again and its single-use token. */
export interface CardTicket {
  tool: string;
  confirm: string;
  expiresAt: string;
}

export interface Interaction {
  canForm: boolean;
  /**
   * Set where the client renders this tool's view (MCP Apps): a confirmation's token goes to the view's card, whose
   * Confirm button the person clicks, and not to the agent.
   */
  card?: (ticket: CardTicket) => void;
  canUrl: boolean;
  form(message: string, schema: FormSchema): Promise<ElicitReply>;
  /** Resolves once the person accepted (or refused) to open the link. */
  url(message: string, url: string): Promise<ElicitReply>;
  /** Reports progress of long work, when the client asked for it (a progress token); otherwise does nothing. */
  progress(done: number, total: number, message: string): void;
}

export const NO_INTERACTION: Interaction = {
  canForm: false,
  canUrl: false,
  form: () => Promise.resolve({ action: 'cancel' }),
  url: () => Promise.resolve({ action: 'cancel' }),
  progress: () => undefined,
};
