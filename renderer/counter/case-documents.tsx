/**
 * 办结文书: after 办结 the window prints or downloads the case's 受理回执 and 一次性告知书 (and,
 * for a case 不予办理, the 不予受理通知书 with its reason). The PDFs are made by the hub, so they look
 * the same at every window; printing goes to the shell's printer or the browser's dialog, and the
 * file can always be downloaded (renderer/shared/pdf-document.ts).
 */
import { useState } from 'react';
import { useServices } from '../shared/app.js';
import { errorMessage } from '../shared/hub-client.js';
import { downloadBlob, fetchPdf, printPdf } from '../shared/pdf-document.js';

export interface FinishedCase {
  caseId: string;
  /** From `/finish`: lets the receipt carry the 扫码评价 QR. */
  ratingCode?: string;
  result: string;
}

interface Doc {
  key: 'receipt' | 'notice' | 'refusal';
  label: string;
  path: string;
  file: string;
}

export function CaseDocuments({ finished }: { finished: FinishedCase }) {
  const { client } = useServices();
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const id = encodeURIComponent(finished.caseId);
  const docs: Doc[] = [
    {
      key: 'receipt',
      label: '受理回执',
      path: `/cases/${id}/receipt.pdf${finished.ratingCode ? `?ratingCode=${encodeURIComponent(finished.ratingCode)}` : ''}`,
      file: `受理回执-${finished.caseId}.pdf`,
    },
    {
      key: 'notice',
      label: '一次性告知书',
      path: `/cases/${id}/notice.pdf`,
      file: `一次性告知书-${finished.caseId}.pdf`,
    },
  ];
  const refusal: Doc = {
    key: 'refusal',
    label: '不予受理通知书',
    path: `/cases/${id}/refusal.pdf?reason=${encodeURIComponent(reason.trim())}`,
    file: `不予受理通知书-${finished.caseId}.pdf`,
  };

  const run = async (doc: Doc, how: 'print' | 'download') => {
    setBusy(`${doc.key}-${how}`);
    setError(null);
    setNote(null);
    try {
      const pdf = await fetchPdf(client, doc.path);
      if (how === 'download') {
        downloadBlob(pdf, doc.file);
        setNote(`已下载${doc.label}`);
      } else {
        const route = await printPdf(pdf, doc.label);
        setNote(route === 'shell' ? `${doc.label}已送打印机` : `已打开${doc.label}的打印对话框`);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const buttons = (doc: Doc, disabled = false) => (
    <div className="c-doc" key={doc.key}>
      <span className="c-doc-name">{doc.label}</span>
      <button
        type="button"
        className="btn"
        disabled={disabled || busy !== null}
        data-testid={`print-${doc.key}`}
        onClick={() => void run(doc, 'print')}
      >
        {busy === `${doc.key}-print` ? '正在生成…' : '打印'}
      </button>
      <button
        type="button"
        className="btn"
        disabled={disabled || busy !== null}
        data-testid={`download-${doc.key}`}
        onClick={() => void run(doc, 'download')}
      >
        {busy === `${doc.key}-download` ? '正在生成…' : '下载 PDF'}
      </button>
    </div>
  );

  return (
    <section className="c-docs" aria-label="办结文书" data-testid="case-documents">
      <h3>办结文书</h3>
      {docs.map((d) => buttons(d))}
      {finished.result === 'rejected' ? (
        <>
          <label className="c-doc-reason">
            不予受理的理由
            <input
              value={reason}
              maxLength={300}
              onChange={(e) => setReason(e.target.value)}
              placeholder="例如：申请人不是该不动产的权利人"
            />
          </label>
          {buttons(refusal, reason.trim().length < 2)}
        </>
      ) : null}
      {error ? (
        <p className="c-doc-error" role="alert">
          {error}
        </p>
      ) : note ? (
        <p className="c-doc-note" role="status">
          {note}
        </p>
      ) : null}
    </section>
  );
}
