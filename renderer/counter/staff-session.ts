/**
 * The staff session of this window terminal: kept in localStorage (token, staff number and window
 * only — never a name or anything of a citizen), so a reload stays signed in. While signed in, the
 * page's hub client and event stream run on the session's own token.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type AppServices, useServices } from '../shared/app.js';
import { EventStream } from '../shared/event-stream.js';
import { forget, recall, remember } from '../shared/token.js';

export interface Session {
  token: string;
  staffNo: string;
  /** From the sign-in answer; not stored, so null after a reload. */
  staffName: string | null;
  windowNo: number;
}

function loadSession(): Session | null {
  const token = recall('counter', 'session');
  const staffNo = recall('counter', 'staffNo');
  const windowNo = Number(recall('counter', 'sessionWindow'));
  if (!token || !staffNo || !Number.isInteger(windowNo) || windowNo < 1) return null;
  return { token, staffNo, staffName: null, windowNo };
}

function saveSession(s: Session | null) {
  if (!s) {
    for (const k of ['session', 'staffNo', 'sessionWindow']) forget('counter', k);
    return;
  }
  remember('counter', 'session', s.token);
  remember('counter', 'staffNo', s.staffNo);
  remember('counter', 'sessionWindow', String(s.windowNo));
}

export interface StaffSession {
  session: Session | null;
  /** The page's services on the session's token (null while signed out). */
  services: AppServices | null;
  signedIn(s: Session): void;
  /** Ends the session; `callHub` false when the hub already ended it (401). */
  signOut(callHub: boolean): Promise<void>;
}

export function useStaffSession(): StaffSession {
  const base = useServices();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const services = useMemo<AppServices | null>(() => {
    if (!session) return null;
    return {
      ...base,
      client: base.client.withToken(session.token),
      events: new EventStream({ baseUrl: base.identity.hubUrl, token: session.token }),
    };
  }, [base, session]);
  useEffect(() => {
    services?.events.start();
    return () => services?.events.stop();
  }, [services]);

  const signedIn = useCallback((s: Session) => {
    saveSession(s);
    setSession(s);
  }, []);
  const signOut = useCallback(
    async (callHub: boolean) => {
      if (callHub && services) await services.client.signOut().catch(() => undefined);
      saveSession(null);
      setSession(null);
    },
    [services],
  );
  return { session, services, signedIn, signOut };
}
