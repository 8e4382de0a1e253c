/** 不予受理通知书: the 事项, the reason, and where the citizen may turn. Pure. */
import { type CaseFacts, caseCode, chineseDate } from './case-facts.js';
import type { DocumentLayout } from './layout.js';

export function refusalLayout(f: CaseFacts, reason: string, today: string): DocumentLayout {
  const code = caseCode(f);
  return {
    title: `不予受理通知书 ${code}`,
    header: `${f.hallName} · 不予受理通知书`,
    footer: `办件编号 ${code}`,
    blocks: [
      { kind: 'title', text: '不予受理通知书', subtitle: f.hallName },
      { kind: 'paragraph', text: `${f.applicantName ?? '申请人'}：` },
      {
        kind: 'paragraph',
        text: `您于 ${f.acceptedAt} 申请办理的“${f.task.name}”（事项编码 ${f.task.code}，办件编号 ${code}），经审查，决定不予受理。理由如下：`,
      },
      { kind: 'paragraph', text: reason, tone: 'alert' },
      {
        kind: 'paragraph',
        text: '如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。对窗口服务有意见的，可通过好差评或大厅值班负责人反映。',
      },
      {
        kind: 'fields',
        rows: [
          { label: '办理窗口', value: f.window ? `${f.window.no} 号窗口（${f.window.name}）` : '—' },
          { label: '经办人工号', value: f.staffNo ?? '—' },
        ],
      },
      { kind: 'signature', lines: [`${f.hallName}（盖章）`, chineseDate(today)] },
    ],
  };
}
