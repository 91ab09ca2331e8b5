import { Injectable } from '@nestjs/common';
import { InboundParser } from '../../application/channels.ports';
import { ChannelType } from '../../channels.events';
import { ChannelEvent } from '../../domain/channel-event';
import { parseWahaEvent } from './waha-event.parser';

/** The inbox's parser port over parseWahaEvent (total: an unreadable body gives undefined, never a throw). */
@Injectable()
export class WahaInboundParser implements InboundParser {
  parse(provider: ChannelType, body: string): ChannelEvent | undefined {
    if (provider !== 'waha') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return undefined;
    }
    const result = parseWahaEvent(json);
    return result.ok ? result.event : undefined;
  }
}
