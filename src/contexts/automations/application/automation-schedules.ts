import { Injectable } from '@nestjs/common';
import { TimerScheduler } from '#timers/timer-scheduler';
import { Automation } from '../domain/automation';
import { nextRun } from '../domain/cron-schedule';

/** The durable timer of a scheduled automation: fires `timer.automation.schedule` at its next cron time. */
export const SCHEDULED_RUN = 'automation.schedule';

export interface ScheduledRunPayload {
  automationId: string;
  /** The automation's version when scheduled: a fire for an older version was superseded by a reschedule. */
  version: number;
}

/** Keeps each scheduled automation's one timer in step with it, in the caller's transaction. */
@Injectable()
export class AutomationSchedules {
  constructor(private readonly timers: TimerScheduler) {}

  /** Sets the timer to the next run of a live enabled schedule, and drops it otherwise. */
  async sync(automation: Automation, after = new Date()): Promise<void> {
    const trigger = automation.definition.trigger;
    if (!automation.isScheduled || !('schedule' in trigger)) {
      await this.timers.cancel(SCHEDULED_RUN, automation.id);
      return;
    }
    const payload: ScheduledRunPayload = { automationId: automation.id, version: automation.version };
    await this.timers.schedule({
      kind: SCHEDULED_RUN,
      key: automation.id,
      dueAt: nextRun(trigger.schedule, trigger.timezone, after),
      projectId: automation.snapshot.projectId,
      payload: { ...payload },
    });
  }
}
