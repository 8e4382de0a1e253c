/**
 * The 好差评 reasons of the demo hall's catalogue: what the platform simulator serves, and what the
 * hub offers pads and reports until the sync has fetched the platform's own list. Kept here, with
 * the demo hall, so the hub does not have to import the simulator.
 */

export interface EvaluationReason {
  code: string;
  text: string;
  /** Platform satisfaction codes (1 = 非常不满意 … 5 = 非常满意) the reason may be chosen for. */
  forLevels: number[];
}

const ALL_LEVELS_BAD = [1, 2];

export const DEMO_EVALUATION_REASONS: readonly EvaluationReason[] = [
  { code: 'R101', text: '办事指南不清楚，材料要求说不明白', forLevels: ALL_LEVELS_BAD },
  { code: 'R102', text: '需要跑多次，不能一次办成', forLevels: ALL_LEVELS_BAD },
  { code: 'R103', text: '等候时间过长', forLevels: [1, 2, 3] },
  { code: 'R104', text: '工作人员态度不好', forLevels: ALL_LEVELS_BAD },
  { code: 'R105', text: '办理时间超过承诺时限', forLevels: ALL_LEVELS_BAD },
  { code: 'R106', text: '要求提供规定以外的材料', forLevels: ALL_LEVELS_BAD },
  { code: 'R107', text: '系统故障或设备不好用', forLevels: [1, 2, 3] },
  { code: 'R108', text: '收费不合理', forLevels: ALL_LEVELS_BAD },
  { code: 'R201', text: '办事指南清楚，一次办成', forLevels: [4, 5] },
  { code: 'R202', text: '工作人员热情耐心', forLevels: [4, 5] },
  { code: 'R203', text: '等候时间短，办理快', forLevels: [4, 5] },
  { code: 'R204', text: '大厅环境整洁，设施方便', forLevels: [3, 4, 5] },
];
