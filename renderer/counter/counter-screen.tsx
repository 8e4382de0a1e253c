/**
 * The signed-in window terminal: the header, the current ticket (and whether the citizen rated
 * the last case), the call bar, the queue lengths of the window's services, and the forms the
 * actions open. The rules of which action is possible are in `actions.ts`.
 */
import { useEffect, useMemo, useState } from 'react';
import { useBusySignal } from '../shared/activity-signal.js';
import type { ApiWindow } from '../shared/api-types.js';
import { ConnectionBadge, ErrorBanner, HallClock } from '../shared/components.js';
import { useHall } from '../shared/hooks.js';
import { ActionBar } from './action-bar.js';
import type { ActionSpec } from './actions.js';
import { AppointmentDialog, COUNTER_APPOINTMENT_TEXT } from './appointment-dialog.js';
import { CaptureDialog } from './capture-dialog.js';
import { CaseDocuments, type FinishedCase } from './case-documents.js';
import { CurrentTicket, useCurrentTicket } from './current-ticket.js';
import type { UploadedMaterial } from './finish-case.js';
import { FinishForm } from './finish-form.js';
import { MaterialsPanel } from './materials-panel.js';
import { QueueDialog } from './queue-dialog.js';
import { RatingStatus, useRatingWatch } from './rating-status.js';
import type { Session } from './staff-session.js';
import { useWindowActions } from './use-window-actions.js';
import { WaitAlarm } from './wait-alarm.js';
import { PauseForm, SkipForm, TransferForm } from './window-forms.js';
import { WindowQueues } from './window-queues.js';

type Dialog = null | 'skip' | 'transfer' | 'pause' | 'finish' | 'queue' | 'capture' | 'appointments';

export function CounterScreen({ session, onSignOut }: { session: Session; onSignOut: (callHub: boolean) => void }) {
  const { hall, error: hallError, reload } = useHall(15_000);
  const win: ApiWindow | null = hall?.windows.find((w) => w.no === session.windowNo) ?? null;
  const state = win?.state ?? null;
  const ticket = useCurrentTicket(win);
  const { rating, awaitRating, clear: clearRating } = useRatingWatch();
  // The case just finished: its documents stay on offer until the next citizen is called.
  const [finished, setFinished] = useState<FinishedCase | null>(null);
  const { busy, message, error, act, fail, say } = useWindowActions(session.windowNo, {
    reload,
    onSignOut,
    onCalled: () => {
      clearRating();
      setFinished(null);
    },
  });
  const [dialog, setDialog] = useState<Dialog>(null);
  // A citizen called or being served, or a form open: the terminal does not update now.
  useBusySignal(`counter-${session.windowNo}`, state === 'calling' || state === 'serving' || dialog !== null);
  const close = () => setDialog(null);
  // Materials scanned for the ticket being served; a new ticket starts with none.
  const [materials, setMaterials] = useState<{ ticketId: string; list: UploadedMaterial[] } | null>(null);
  const uploaded = materials && materials.ticketId === ticket?.id ? materials.list : [];
  useEffect(() => {
    if (state !== 'serving' && dialog === 'capture') setDialog(null);
  }, [state, dialog]);
  /** Closes the form, then runs its action. */
  const submit = (action: Parameters<typeof act>[0], body: unknown, done?: string) => {
    close();
    void act(action, body, done);
  };

  const services = useMemo(
    () => (hall && win ? hall.services.filter((s) => win.services.includes(s.code)) : []),
    [hall, win],
  );

  const onAction = (a: ActionSpec) => {
    if (a.form) setDialog(a.action as Dialog);
    else void act(a.action, undefined, a.action === 'recall' ? '已重呼' : undefined);
  };

  return (
    <div className="counter">
      <header className="c-header">
        <h1>
          {session.windowNo}号窗口 <span className="c-window-name">{win?.name ?? ''}</span>
        </h1>
        <span className="c-staff">
          工号 {session.staffNo}
          {session.staffName ? ` · ${session.staffName}` : ''}
        </span>
        <HallClock showDate={false} className="c-clock" />
        <ConnectionBadge />
        <button type="button" className="btn" onClick={() => setDialog('appointments')}>
          {COUNTER_APPOINTMENT_TEXT.open}
        </button>
        <button type="button" className="btn" onClick={() => onSignOut(true)}>
          签退
        </button>
      </header>

      <WaitAlarm windowNo={session.windowNo} />
      <main className="c-main">
        <CurrentTicket hall={hall} win={win} ticket={ticket}>
          <RatingStatus rating={rating} />
          {finished ? <CaseDocuments finished={finished} /> : null}
        </CurrentTicket>
        <ActionBar state={state} busy={busy} keysOff={dialog !== null} onAction={onAction} />
        {/* Only while there is a citizen at the window: after 办结 the space goes to the case's documents. */}
        {ticket || uploaded.length ? (
          <MaterialsPanel
            materials={uploaded}
            canCapture={state === 'serving' && !!ticket}
            keysOff={dialog !== null}
            onCapture={() => setDialog('capture')}
          />
        ) : null}
        <WindowQueues services={services} state={state} onOpenQueue={() => setDialog('queue')} />
      </main>

      <div className="c-messages" aria-live="polite">
        <ErrorBanner message={error ?? (hall ? null : hallError)} />
        {message ? <p className="c-message">{message}</p> : null}
      </div>

      {dialog === 'skip' ? (
        <SkipForm
          onCancel={close}
          onSubmit={(requeue) => submit('skip', { requeue }, requeue ? '已过号，该号回到队尾一次' : '已过号')}
        />
      ) : null}
      {dialog === 'pause' ? (
        <PauseForm onCancel={close} onSubmit={(reason) => submit('pause', { reason }, `窗口已暂停：${reason}`)} />
      ) : null}
      {dialog === 'transfer' && hall ? (
        <TransferForm
          hall={hall}
          fromWindow={session.windowNo}
          onCancel={close}
          onSubmit={(body) => submit('transfer', body, '已转移')}
        />
      ) : null}
      {dialog === 'appointments' && hall ? <AppointmentDialog today={hall.businessDay} onCancel={close} /> : null}
      {dialog === 'queue' ? (
        <QueueDialog
          windowNo={session.windowNo}
          services={services}
          canCall={state === 'idle' && !busy}
          onCancel={close}
          onCall={(ticketId) => submit('call', { ticketId })}
        />
      ) : null}
      {dialog === 'capture' && ticket ? (
        <CaptureDialog
          windowNo={session.windowNo}
          ticket={ticket}
          uploaded={uploaded}
          onUploaded={(m) =>
            setMaterials((x) => ({
              ticketId: ticket.id,
              list: [...(x && x.ticketId === ticket.id ? x.list : []).filter((y) => y.sha256 !== m.sha256), m],
            }))
          }
          onClose={close}
          onError={fail}
        />
      ) : null}
      {dialog === 'finish' && ticket ? (
        <FinishForm
          windowNo={session.windowNo}
          ticket={ticket}
          uploaded={uploaded}
          onCancel={close}
          onFinished={(r) => {
            close();
            awaitRating(r.caseId, r.ratingCode);
            setFinished({ caseId: r.caseId, result: r.result, ...(r.ratingCode ? { ratingCode: r.ratingCode } : {}) });
            say('已办结，已请群众在评价器上评价');
            reload();
          }}
          onError={fail}
        />
      ) : null}
    </div>
  );
}
