// One chat session over a transport: the Ink UI with a terminal, one plain-text turn without. Shared by `clade chat`
// and the CLI that `clade export` writes, which has no Clade repository around it.
import { createElement } from 'react';
import { render } from 'ink';
import { App } from './App.tsx';
import type { PatchReview } from './patch.ts';
import { runPlain } from './plain.ts';
import { spawnHostSession, type SessionTransport } from './transport.ts';

export interface ChatSessionOptions {
  agentMjs: string;
  repo: string;
  socketPath: string;
  model: string;
  autoApprove: boolean;
  /** Send this one message and exit; also what happens without a terminal (the message then comes from stdin). */
  message?: string;
  banner?: string;
}

/** True when a person is at the keyboard and no message was given: the Ink UI. */
export function isInteractive(message: string | undefined): boolean {
  return message === undefined && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the UI or one plain turn on `transport`, then closes it; resolves to the process exit code. */
export async function runChat(transport: SessionTransport, opts: { message?: string; autoApprove: boolean; banner?: string; patches?: PatchReview }): Promise<number> {
  try {
    if (isInteractive(opts.message)) {
      const ui = render(createElement(App, { transport, banner: opts.banner, autoApprove: opts.autoApprove, patches: opts.patches }), { exitOnCtrlC: false });
      await ui.waitUntilExit();
      return 0;
    }
    const message = opts.message ?? (await readAll(process.stdin));
    if (!message.trim()) throw new Error('no message to send: pass --message TEXT, or pipe it on stdin');
    return await runPlain({ transport, message, autoApprove: opts.autoApprove, patches: opts.patches });
  } finally {
    await transport.close();
  }
}

/** A host session on a built agent, run to the end. */
export function runChatSession(opts: ChatSessionOptions): Promise<number> {
  const transport = spawnHostSession({ agentMjs: opts.agentMjs, repo: opts.repo, socketPath: opts.socketPath, model: opts.model, autoApprove: opts.autoApprove });
  return runChat(transport, { message: opts.message, autoApprove: opts.autoApprove, banner: opts.banner ?? `${opts.repo} · ${opts.model}` });
}
