/**
 * The configuration being edited: the running config as read (kept for 还原 and the version check),
 * the drafts, the hub's check and save of one section, and the outcome of the last action.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AdminConfigProblem, AdminConfigView } from '../../../main/server/admin/types.js';
import { errorMessage } from '../../shared/hub-client.js';
import type { AuditRow } from '../admin-api.js';
import { useAdminApi } from '../admin-hooks.js';
import { changeOf, type Drafts, draftsOf, type Section, sectionsText } from './config-draft.js';

export interface ConfigDrafts {
  view: AdminConfigView | null;
  drafts: Drafts | null;
  /** The latest config changes (`config.*` audit rows), newest first. */
  audit: AuditRow[];
  problems: AdminConfigProblem[];
  /** The announcement as the hub's last check rendered it. */
  preview: string | null;
  note: string | null;
  error: string | null;
  busy: boolean;
  /** Changes a copy of the drafts; the last check's outcome no longer holds. */
  edit(f: (d: Drafts) => void): void;
  check(): Promise<void>;
  save(): Promise<void>;
  /** Back to the running config. */
  restore(): void;
  clearStatus(): void;
}

export function useConfigDrafts(section: Section): ConfigDrafts {
  const api = useAdminApi();
  const [view, setView] = useState<AdminConfigView | null>(null);
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [problems, setProblems] = useState<AdminConfigProblem[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [audit, setAudit] = useState<AuditRow[]>([]);

  const load = useCallback(async () => {
    try {
      const v = await api.config();
      setView(v);
      setDrafts(draftsOf(v));
      setAudit(await api.audit('config.', 10));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const clearStatus = () => {
    setProblems([]);
    setNote(null);
    setError(null);
  };

  /** Runs one hub call for the current section with the buttons disabled; a failure is shown. */
  const withHub = async (f: (change: ReturnType<typeof changeOf>) => Promise<void>) => {
    if (!drafts || !view) return;
    setBusy(true);
    try {
      await f(changeOf(section, drafts, view.version));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return {
    view,
    drafts,
    audit,
    problems,
    preview,
    note,
    error,
    busy,
    edit(f) {
      setDrafts((d) => {
        if (!d) return d;
        const copy = structuredClone(d);
        f(copy);
        return copy;
      });
      setProblems([]);
      setNote(null);
    },
    check: () =>
      withHub(async (change) => {
        const r = await api.checkConfig(change);
        setProblems(r.problems);
        setPreview(r.announcementPreview);
        setNote(r.ok ? '检查通过，可以保存' : null);
        setError(null);
      }),
    save: () =>
      withHub(async (change) => {
        const r = await api.applyConfig(change);
        if (r.ok) {
          setProblems([]);
          setError(null);
          await load();
          setNote(
            `已保存并生效（${sectionsText(r.applied.sections)}）${r.applied.persisted ? '，已写入配置文件' : '；演示大厅的修改在重启后恢复'}`,
          );
        } else {
          setProblems(r.refusal.problems);
          setError(r.refusal.message);
          setNote(null);
        }
      }),
    restore() {
      if (view) setDrafts(draftsOf(view));
      clearStatus();
    },
    clearStatus,
  };
}
