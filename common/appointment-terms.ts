/** The appointment register's words as the API spells them and as screens show them. */
export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_STATUS_TEXT: Record<AppointmentStatus, string> = {
  booked: '已预约',
  checked_in: '已签到',
  cancelled: '已取消',
  no_show: '爽约',
};
