/**
 * 一次性告知书: the 事项's full materials list from the catalogue, each marked received or still
 * missing, so the citizen comes back once with everything. Pure.
 */
import { type CaseFacts, caseCode, chineseDate } from './case-facts.js';
import type { DocumentLayout } from './layout.js';

/** Materials of the catalogue with what the window received; names compare ignoring spaces. */
export function materialChecklist(
  f: Pick<CaseFacts, 'task' | 'received'>,
): { name: string; required: boolean; received: boolean }[] {
  const norm = (s: string) => s.replace(/\s+/g, '');
  const got = new Set(f.received.map((m) => norm(m.name)));
  return (f.task.materials ?? []).map((m) => ({ ...m, received: got.has(norm(m.name)) }));
}

export function noticeLayout(f: CaseFacts): DocumentLayout {
  const code = caseCode(f);
  const list = materialChecklist(f);
  const missing = list.filter((m) => m.required && !m.received);
  const summary =
    f.task.materials === null
      ? '本大厅的事项目录中没有该事项的材料清单，请向窗口工作人员询问所需材料。'
      : missing.length
        ? `经核对，您申请的事项尚缺以下 ${missing.length} 项必交材料（下表中标为“尚缺”），请补齐后到窗口办理。`
        : '经核对，您申请的事项必交材料已齐全。';
  return {
    title: `一次性告知书 ${code}`,
    header: `${f.hallName} · 一次性告知书`,
    footer: `办件编号 ${code}`,
    blocks: [
      { kind: 'title', text: '一次性告知书', subtitle: f.hallName },
      { kind: 'paragraph', text: `${f.applicantName ?? '申请人'}：` },
      {
        kind: 'paragraph',
        text: `您于 ${f.acceptedAt} 在 ${f.window ? `${f.window.no} 号窗口` : '本中心'} 申请办理“${f.task.name}”（事项编码 ${f.task.code}，办件编号 ${code}）。根据该事项的办事指南，现将所需材料一次性告知如下。${summary}`,
      },
      { kind: 'heading', text: '所需材料清单' },
      {
        kind: 'table',
        columns: [
          { title: '序号', width: 1, align: 'center' },
          { title: '材料名称', width: 7 },
          { title: '要求', width: 1.4, align: 'center' },
          { title: '核对情况', width: 1.6, align: 'center' },
        ],
        rows: list.map((m, i) => ({
          cells: [
            String(i + 1),
            m.name,
            m.required ? '必交' : '视情况',
            m.received ? '已收' : m.required ? '尚缺' : '未收',
          ],
          ...(m.required && !m.received ? { tone: 'alert' as const } : {}),
        })),
        empty: '事项目录中没有材料清单',
      },
      {
        kind: 'paragraph',
        text: '材料补齐后，请持本告知书和申请人身份证件到办理该事项的窗口办理。如对告知内容有疑问，可向窗口工作人员或大厅值班负责人咨询。',
        size: 9.5,
        tone: 'muted',
      },
      {
        kind: 'signature',
        lines: [`受理人工号：${f.staffNo ?? '—'}`, `${f.hallName}（盖章）`, chineseDate(f.acceptDay)],
      },
    ],
  };
}
