import { Controller, Get, HttpException, HttpStatus, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { ApiProblems, ApiProjectScoped, NotReplayable, RunsOwnTransactions } from '#http';
import { RequestContext } from '#tenancy';
import { ImportContactsCommand } from '../application/contact-import.commands';
import { ContactExport } from '../application/contact-export';
import { ImportFormat } from '../domain/contact-import';
import { csvHeader, csvRows, ndjsonLines } from './contact-export.format';
import { ExportContactsDto, ImportContactsQueryDto } from './contact-import.dto';
import { ImportResponse } from './contact-import.responses';
import { UploadRecords, tooLarge } from './upload-records';

/** How long the rest of an upload answered early is still read (and dropped) before its connection is cut. */
const LINGER_MS = 2000;
const MEDIA: Record<ImportFormat, string> = { csv: 'text/csv', ndjson: 'application/x-ndjson' };
const CSV_EXAMPLE =
  'name,email,phone,externalId,tags,customFields.plan\r\n' +
  'Grace Hopper,grace@example.com,+14155552671,crm-1,vip|newsletter,pro\r\n' +
  '"Lovelace, Ada",ada@example.com,,crm-2,,\r\n';
const NDJSON_EXAMPLE =
  '{"name":"Grace Hopper","email":"grace@example.com","phone":"+14155552671","externalId":"crm-1","tags":["vip"],"customFields":{"plan":"pro"}}\n' +
  '{"name":"Ada Lovelace","email":"ada@example.com","externalId":"crm-2"}\n';

const IMPORT_DESCRIPTION = `Upsert contacts from a CSV (\`text/csv\`) or NDJSON (\`application/x-ndjson\`) upload of any size, read
while it arrives and committed in batches of 2,000 rows (each with its \`contact.created\` / \`contact.updated\` events):
the response comes when the upload has been processed, with the final counts. Meanwhile \`GET /imports\` shows the import's
progress and \`POST /imports/{id}/cancel\` stops it (what was committed stays).

A row updates the live contact with its \`externalId\`, else with its \`email\`, else with its \`phone\` (with
\`mode=create_only\`, such a row is rejected instead), and otherwise creates one. Each row is checked as the create route
checks its body (E.164 phones, emails, custom field types...): a bad row is rejected with its line and reason and the
import goes on. An update sets the values the row has and keeps the others.

**CSV**: a header row naming the columns (any order, any subset): \`name\`, \`email\`, \`phone\`, \`externalId\`,
\`tags\`, \`language\`, \`timezone\`, \`sourceChannel\`, \`profilePictureUrl\`, and \`customFields.<key>\` for a custom
field of the project (read as the field's type: \`42\`, \`true\`, \`2024-02-29\`). RFC 4180 quoting; UTF-8. Tags are
separated by \`|\` or \`;\`. An empty cell leaves the field as it is. A leading \`'\` before \`= + - @\` (how exports
protect spreadsheets from formulas) is removed. **NDJSON**: one create body per line; \`null\` clears a field.

At most CONTACT_IMPORT_MAX_BYTES (413 beyond: the rows before the limit stay committed, the import is failed).`;

/** Bulk import and export of the project's contacts. */
@ApiTags('contacts')
@ApiProjectScoped()
@Controller('contacts')
export class ContactTransfersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly exports: ContactExport,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('import')
  @RunsOwnTransactions()
  @NotReplayable()
  @ApiOperation({
    summary: 'Import contacts from a streamed CSV or NDJSON upload (upsert by externalId, else email, else phone)',
    description: IMPORT_DESCRIPTION,
    requestBody: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
        'application/x-ndjson': { schema: { type: 'string' }, example: NDJSON_EXAMPLE },
      },
    },
  })
  @ApiCreatedResponse({
    type: ImportResponse,
    description: 'The upload was processed: the import, `completed` (or `cancelled` meanwhile), with its counts',
    headers: { Location: { description: 'The import: /api/v1/imports/{id}', required: true, schema: { type: 'string' } } },
  })
  @ApiProblems(403, 413, 415)
  async import(@Query() query: ImportContactsQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const max = this.config.contactImportMaxBytes;
    try {
      const format = formatOf(req.headers['content-type']);
      if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge(max);
      const records = await UploadRecords.open(req, format, max);
      const { principal } = this.context;
      const view = await this.commands.execute(
        new ImportContactsCommand(principal, principal.userId, format, query.mode ?? 'upsert', records),
      );
      res.status(201).location(`/api/v1/imports/${view.id}`).json(view);
    } finally {
      // Answered before the upload's end (cancelled, too large): the connection is not reused, and the rest of the
      // upload is read and dropped for a moment (so the client reads the answer rather than a reset), then cut.
      if (!req.complete) {
        if (!res.headersSent) res.setHeader('Connection', 'close');
        res.once('finish', () => {
          req.resume();
          setTimeout(() => req.socket?.destroy(), LINGER_MS).unref();
        });
      }
    }
  }

  @Get('export')
  @RunsOwnTransactions()
  @ApiOperation({
    summary: 'Export the contacts of a filtered list (the list filters) as a CSV or NDJSON download, streamed',
    description:
      'Every contact matching `q`, `tag`, `customField` and `deleted`, newest first, streamed page by page (constant memory, ' +
      'no long transaction). The format is what POST /contacts/import reads, so an export imports back as it is: CSV with ' +
      "a `customFields.<key>` column per custom field of the project, tags joined by `|`, cells starting with `= + - @` (or a tab) prefixed with `'` " +
      'against spreadsheet formula injection; NDJSON with one create body per line (all custom field values).',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({
    description: 'The contacts as a download (`Content-Disposition: attachment`), in chunks',
    content: {
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
      'application/x-ndjson': { schema: { type: 'string' }, example: NDJSON_EXAMPLE },
    },
  })
  async export(@Query() query: ExportContactsDto, @Res() res: Response): Promise<void> {
    const [key, ...rest] = query.customField?.split(':') ?? [];
    const format = query.format ?? 'csv';
    const { definitions, pages } = await this.exports.open(this.context.principal.projectId, {
      q: query.q,
      tag: query.tag,
      deleted: query.deleted,
      customField: query.customField ? { key, value: rest.join(':') } : undefined,
    });
    res.status(200);
    res.setHeader('Content-Type', `${MEDIA[format]}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="contacts.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (format === 'csv' && !(await write(res, csvHeader(definitions)))) return;
      for await (const page of pages) {
        if (!(await write(res, format === 'csv' ? csvRows(page, definitions) : ndjsonLines(page)))) return;
      }
      res.end();
    } catch (error) {
      // Headers are sent: a truncated download (no final chunk) is how the client learns it is incomplete.
      res.destroy(error as Error);
    }
  }
}

/** The upload's format from its Content-Type (415 for any other). */
function formatOf(contentType: string | undefined): ImportFormat {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === 'text/csv') return 'csv';
  if (media === 'application/x-ndjson') return 'ndjson';
  throw new HttpException(
    {
      message: `Send the upload as text/csv or application/x-ndjson (got ${contentType ? `"${contentType}"` : 'no Content-Type'})`,
      code: 'unsupported_media_type',
    },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

/** Writes with backpressure: waits while the client is slower than the database; false once the client is gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}
