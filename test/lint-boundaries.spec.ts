import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** One file per forbidden dependency, planted in a copy of the tree; the architecture lint must reject each. */
const PLANTED: Record<string, { code: string; message: RegExp }> = {
  'src/contexts/contacts/domain/planted-nest.ts': {
    code: `import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n`,
    message: /domain file must not import @nestjs\/common/,
  },
  'src/contexts/contacts/domain/planted-typeorm.ts': {
    code: `import { Column } from 'typeorm';\nexport const x = Column;\n`,
    message: /domain file must not import typeorm/,
  },
  'src/contexts/contacts/domain/planted-kernel.ts': {
    code: `import { TransactionRunner } from '#persistence/transaction-runner';\nexport const x = TransactionRunner;\n`,
    message: /domain file may import only its domain, libs\/kernel/,
  },
  'src/contexts/contacts/domain/planted-layer.ts': {
    code: `import * as x from '../application/contact.commands';\nexport const y = x;\n`,
    message: /domain file may import only its domain/,
  },
  'src/contexts/contacts/application/planted.ts': {
    code: `import { ContactEntity } from '../infrastructure/contact.entity';\nexport const x = ContactEntity;\n`,
    message: /application\/ must not import infrastructure\//,
  },
  'src/contexts/contacts/http/planted-infra.ts': {
    code: `import { ContactEntity } from '../infrastructure/contact.entity';\nexport const x = ContactEntity;\n`,
    message: /http\/ must not import infrastructure\//,
  },
  'src/contexts/contacts/http/planted-sql.ts': {
    code: `export const list = (db: { query(sql: string): unknown }) => db.query('SELECT 1');\n`,
    message: /http\/ must not run SQL/,
  },
  'src/contexts/contacts/http/planted-tx.ts': {
    code: `import { TransactionRunner } from '#persistence/transaction-runner';\nexport const x = TransactionRunner;\n`,
    message: /http\/ must not use the database/,
  },
  'src/contexts/contacts/application/planted-cross.ts': {
    code: `import { Project } from '../../identity/domain/project';\nexport const x = Project;\n`,
    message: /context contacts may use context identity only through identity\.events\.ts and identity\.api\.ts/,
  },
  'libs/kernel/planted.ts': {
    code: `import { AppModule } from '../../src/app.module';\nexport const x = AppModule;\n`,
    message: /the kernel \(libs\/\) must not import src\//,
  },
};

/** What the rules allow: a context's published events and port, the kernel, its own domain. */
const ALLOWED = {
  'src/contexts/contacts/application/planted-allowed.ts':
    `import type * as events from '../../identity/identity.events';\nimport type * as api from '../../identity/identity.api';\n` +
    `import { newId } from '#kernel';\nimport type * as domain from '../domain/contact';\n` +
    `export type X = [typeof events, typeof api, typeof domain];\nexport const id = newId;\n`,
  'src/contexts/contacts/domain/planted-allowed.ts': `import { DomainError } from '#kernel';\nimport type * as c from './contact';\nexport type X = typeof c;\nexport const e = DomainError;\n`,
};

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

describe('architecture lint', () => {
  const root = resolve(__dirname, '..');
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'crm-lint-'));
    for (const entry of ['src', 'libs', 'eslint', 'eslint.config.mjs', 'package.json', 'tsconfig.json']) {
      cpSync(join(root, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const [file, content] of Object.entries({
      ...Object.fromEntries(Object.entries(PLANTED).map(([f, p]) => [f, p.code])),
      ...ALLOWED,
    })) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      writeFileSync(join(copy, file), content);
    }
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const lint = (files: string[]): LintResult[] => {
    try {
      return JSON.parse(
        execFileSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...files], {
          cwd: copy,
          encoding: 'utf8',
        }),
      );
    } catch (error) {
      const out = (error as { stdout?: string }).stdout;
      if (!out) throw error;
      return JSON.parse(out);
    }
  };

  it('rejects each planted violation with the rule that names it, and accepts the published seams', () => {
    const results = lint([...Object.keys(PLANTED), ...Object.keys(ALLOWED)]);
    const byFile = new Map(results.map((r) => [r.filePath.slice(copy.length + 1), r.messages]));
    for (const [file, { message }] of Object.entries(PLANTED)) {
      expect({ file, messages: byFile.get(file)?.map((m) => m.message) }).toEqual({ file, messages: [expect.stringMatching(message)] });
    }
    for (const file of Object.keys(ALLOWED)) expect({ file, messages: byFile.get(file) }).toEqual({ file, messages: [] });
  });
});
