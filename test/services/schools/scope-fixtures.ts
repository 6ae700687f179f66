import type { StaffScope } from '../../../src/services/staff/staff-scope.js';
import { seedDemoData } from '../../../src/store/demo-seed.repo.js';
import type { TestDatabase } from '../../helpers/db.js';

/** The demo district plus a second office with one school and class, and a scope of each role for the tests. */
export interface ScopeWorld {
  officeId: string;
  otherOfficeId: string;
  ntt: string;
  tp: string;
  other: string;
  classes: Record<'ntt6a1' | 'ntt6a2' | 'tp1a' | 'other6a1', string>;
  scopes: {
    system: StaffScope;
    officeAdmin: StaffScope;
    otherOfficeAdmin: StaffScope;
    nttAdmin: StaffScope;
    tpAdmin: StaffScope;
    teacher6a1: StaffScope;
    handler: StaffScope;
  };
}

/** Seeds the demo data and a second office on a fresh database; returns ids and scopes. */
export async function seedScopeWorld(db: TestDatabase): Promise<ScopeWorld> {
  await db.prisma.$transaction((tx) => seedDemoData(tx));
  const office = await db.prisma.office.findUniqueOrThrow({ where: { code: 'PGD-Q7-DEMO' } });
  const otherOffice = await db.prisma.office.create({ data: { code: 'PGD-CC', name: 'Phòng GD&ĐT huyện Củ Chi' } });
  const other = await db.prisma.school.create({ data: { officeId: otherOffice.id, code: 'TAN', name: 'Trường THCS Tân An Hội', level: 'THCS' } });
  const other6a1 = await db.prisma.class.create({ data: { schoolId: other.id, name: '6A1', grade: 6, schoolYear: '2026-2027', code: 'TAN-6A1' } });
  const cls = async (code: string) => (await db.prisma.class.findUniqueOrThrow({ where: { code } })).id;
  const ntt = (await db.prisma.school.findUniqueOrThrow({ where: { code: 'NTT' } })).id;
  const tp = (await db.prisma.school.findUniqueOrThrow({ where: { code: 'TP' } })).id;
  const classes = { ntt6a1: await cls('NTT-6A1'), ntt6a2: await cls('NTT-6A2'), tp1a: await cls('TP-1A'), other6a1: other6a1.id };
  const scope = (s: Partial<StaffScope> & Pick<StaffScope, 'role'>): StaffScope => ({ staffId: `staff-${s.role}`, officeId: null, schoolIds: [], classIds: [], ...s });
  return {
    officeId: office.id,
    otherOfficeId: otherOffice.id,
    ntt,
    tp,
    other: other.id,
    classes,
    scopes: {
      system: scope({ role: 'admin', schoolIds: 'all', classIds: 'all' }),
      officeAdmin: scope({ role: 'admin', officeId: office.id, schoolIds: [ntt, tp], classIds: 'all' }),
      otherOfficeAdmin: scope({ role: 'admin', officeId: otherOffice.id, schoolIds: [other.id], classIds: 'all' }),
      nttAdmin: scope({ role: 'school_admin', schoolIds: [ntt], classIds: 'all' }),
      tpAdmin: scope({ role: 'school_admin', schoolIds: [tp], classIds: 'all' }),
      teacher6a1: scope({ role: 'teacher', schoolIds: [ntt], classIds: [classes.ntt6a1] }),
      handler: scope({ role: 'tip_handler', schoolIds: [ntt], classIds: [] }),
    },
  };
}
