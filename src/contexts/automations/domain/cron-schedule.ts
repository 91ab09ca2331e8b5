import { CronExpressionParser } from 'cron-parser';

/** The next time a 5-field cron expression fires after `after`, in `timezone` (UTC by default). Throws when invalid. */
export function nextRun(schedule: string, timezone: string | undefined, after: Date): Date {
  // Seconds (a 6th field) are refused: a schedule fires at most once a minute.
  if (schedule.trim().split(/\s+/).length !== 5) throw new Error('a schedule has 5 fields: minute hour day-of-month month day-of-week');
  return CronExpressionParser.parse(schedule, { currentDate: after, tz: timezone ?? 'UTC', strict: false })
    .next()
    .toDate();
}
