// `clade chat`'s terminal UI: a transcript in <Static> (drawn once), and below it the only parts that redraw: the
// answer line still streaming, the prompt (or an approval question) and a status line.
import { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Static, Text, useApp, useInput } from 'ink';
import { ApprovalPrompt, type Decision } from './ApprovalPrompt.tsx';
import type { AgentPatch, PatchReview } from './patch.ts';
import { PatchPrompt } from './PatchPrompt.tsx';
import { StatusLine } from './StatusLine.tsx';
import { TextInput } from './TextInput.tsx';
import { ItemView } from './Transcript.tsx';
import { initialState, reduce } from './state.ts';
import type { SessionTransport } from './transport.ts';

export interface AppProps {
  transport: SessionTransport;
  /** The first line of the transcript: what is running, and where. */
  banner?: string;
  /** The agent was started with --auto-approve, so it asks nothing. */
  autoApprove?: boolean;
  /** An agent that works on a copy (--sandbox): after each turn its changes are shown and applied when the user says so. */
  patches?: PatchReview;
}

export function App({ transport, banner, autoApprove, patches }: AppProps) {
  const { exit } = useApp();
  const [state, dispatch] = useReducer(reduce, { banner, autoApprove }, initialState);
  const [cancelling, setCancelling] = useState(false);
  const [quitArmed, setQuitArmed] = useState(false);
  // Read by the key handler, which can run twice before a re-render gives it fresh state.
  const armed = useRef(false);

  const applyPatch = (patch: AgentPatch) => {
    dispatch({ type: 'patch_answered', apply: true });
    patches!.apply(patch).then(
      (r) => dispatch({ type: 'patch_applied', ...r }),
      (err: Error) => dispatch({ type: 'patch_applied', ok: false, message: `could not apply the changes: ${err.message}; the patch is in ${patch.savedTo}` }),
    );
  };

  useEffect(() => {
    let stopped = false;
    void (async () => {
      for await (const event of transport.events) {
        if (stopped) return;
        if (event.type === 'turn_end' && patches) {
          // The turn's changes are collected before the turn shows as ended, so no new message can set the agent
          // editing while they are diffed.
          const offer = await patches.pending().catch((err: Error) => void dispatch({ type: 'notice', tone: 'error', text: err.message }));
          if (stopped) return;
          dispatch({ type: 'event', event });
          if (offer) {
            dispatch({ type: 'patch', patch: offer });
            if (autoApprove) applyPatch(offer);
          }
          continue;
        }
        dispatch({ type: 'event', event });
      }
      if (!stopped) dispatch({ type: 'ended' });
    })();
    return () => {
      stopped = true;
    };
  }, [transport]);

  useEffect(() => {
    if (!state.busy) setCancelling(false);
  }, [state.busy]);

  // The agent went away without being asked to (a quit unmounts the UI first): the transcript says why, and there is
  // nothing left to talk to.
  useEffect(() => {
    if (state.ended) exit(new Error('the agent ended the session'));
  }, [state.ended, exit]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (armed.current) {
        transport.send({ type: 'shutdown' });
        exit();
        return;
      }
      armed.current = true;
      setQuitArmed(true);
      return;
    }
    if (armed.current) {
      armed.current = false;
      setQuitArmed(false);
    }
    if (key.escape && state.busy && !cancelling) {
      transport.send({ type: 'cancel' });
      setCancelling(true);
    }
  });

  const submit = (text: string): boolean => {
    if (!text.trim() || state.busy || state.ended || state.patch) return false;
    transport.send({ type: 'user_message', text });
    dispatch({ type: 'submitted', text });
    return true;
  };

  const answer = (d: Decision) => {
    const id = state.approval!.id;
    transport.send(d.decision === 'deny' ? { type: 'approval', id, decision: 'deny', reason: d.reason } : { type: 'approval', id, decision: d.decision });
    const text = d.decision === 'deny' ? `denied: ${d.reason || 'no reason given'}` : d.decision === 'allow' ? 'allowed once' : 'allowed for the rest of this session';
    dispatch({ type: 'answered', text, denied: d.decision === 'deny', allowSession: d.decision === 'allow_session' });
  };

  return (
    <Box flexDirection="column">
      <Static items={state.items}>{(item) => <ItemView key={item.key} item={item} />}</Static>
      {state.thinking ? (
        <Text dimColor italic wrap="truncate-end">
          ✻ {state.thinking.trim().split('\n').at(-1)}
        </Text>
      ) : null}
      {state.live ? (
        <Box marginTop={state.liveContinues ? 0 : 1}>
          <Text>{state.live}</Text>
        </Box>
      ) : null}
      {state.approval ? <ApprovalPrompt key={state.approval.id} request={state.approval} onAnswer={answer} /> : null}
      {state.patch ? <PatchPrompt applying={state.applying} onAnswer={(apply) => (apply ? applyPatch(state.patch!) : dispatch({ type: 'patch_answered', apply: false }))} /> : null}
      {/* Kept mounted under an approval question, so a message typed ahead survives it. */}
      <Box borderStyle="round" borderColor={state.busy ? 'gray' : 'cyan'} paddingX={1} marginTop={state.approval || state.patch ? 0 : 1}>
        <Text color="cyan">{'› '}</Text>
        <TextInput isActive={!state.approval && !state.patch && !state.ended} onSubmit={submit} placeholder={state.busy ? 'the agent is working; type ahead, Enter once it is done' : 'ask the agent something'} />
      </Box>
      <StatusLine model={state.model} usage={state.usage} busy={state.busy} cancelling={cancelling} quitArmed={quitArmed} />
    </Box>
  );
}
