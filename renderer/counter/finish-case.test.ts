import { describe, expect, it } from 'vitest';
import { BLANK_FINISH, finishBody, type TaskOption } from './finish-case.js';

const TASKS: TaskOption[] = [
  { taskCode: 'T1', taskName: '参保登记', materials: [{ name: '身份证', required: true }] },
  { taskCode: 'T2', taskName: '' },
];

describe('办结 form → case', () => {
  it('sends the picked 事项 with its name, the result, the case type, an agent and every material', () => {
    const r = finishBody(
      {
        ...BLANK_FINISH,
        taskCode: 'T1',
        caseType: '2',
        hasAgent: true,
        agentName: ' 张小明 ',
        agentCertNo: '11010519491231002x',
        checked: ['身份证'],
        extra: '身份证复印件\n\n 社保卡 \n',
      },
      TASKS,
    );
    expect(r).toEqual({
      ok: true,
      body: {
        case: {
          taskCode: 'T1',
          taskName: '参保登记',
          result: 'approved',
          caseType: '2',
          agent: { name: '张小明', certType: 'resident', certNo: '11010519491231002X' },
          materials: ['身份证', '身份证复印件', '社保卡'],
        },
      },
    });
  });

  it('takes the typed code when the service has no 事项 list, and leaves out what is empty', () => {
    expect(finishBody({ ...BLANK_FINISH, manualCode: ' 1133 ', result: 'returned' }, [])).toEqual({
      ok: true,
      body: { case: { taskCode: '1133', result: 'returned', caseType: '1' } },
    });
    expect(finishBody({ ...BLANK_FINISH, taskCode: 'T2', hasAgent: true, agentName: '李四' }, TASKS)).toEqual({
      ok: true,
      body: { case: { taskCode: 'T2', result: 'approved', caseType: '1', agent: { name: '李四' } } },
    });
  });

  it('says what is missing: the 事项, or the agent’s name', () => {
    expect(finishBody(BLANK_FINISH, TASKS)).toEqual({ ok: false, error: '请选择或填写办理事项' });
    expect(finishBody({ ...BLANK_FINISH, manualCode: '  ' }, [])).toEqual({ ok: false, error: '请选择或填写办理事项' });
    expect(finishBody({ ...BLANK_FINISH, taskCode: 'T1', hasAgent: true, agentName: ' ' }, TASKS)).toEqual({
      ok: false,
      error: '请填写代办人姓名',
    });
  });
  it('names scanned materials by their hash, once, before the ticked and typed ones', () => {
    const r = finishBody({ ...BLANK_FINISH, taskCode: 'T1', checked: ['身份证', '户口簿'], extra: '其他' }, TASKS, [
      { name: '身份证', sha256: 'a'.repeat(64), bytes: 1000, pages: 2 },
    ]);
    expect(r.ok && r.body.case.materials).toEqual([
      { name: '身份证', sha256: 'a'.repeat(64), pages: 2 },
      '户口簿',
      '其他',
    ]);
  });
});
