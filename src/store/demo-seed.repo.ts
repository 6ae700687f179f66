import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db } from './database.js';

/** Demo console accounts created on first seed; their passwords are random and shown only to the operator. */
export interface DemoAccount {
  email: string;
  password: string;
  role: string;
}

const OFFICE_CODE = 'PGD-Q7-DEMO';
const SCHOOL_YEAR = '2026-2027';

const SCHOOLS = [
  { code: 'NTT', name: 'Trường THCS Nguyễn Thị Thập', level: 'THCS', classes: [['6A1', 6], ['6A2', 6], ['7A1', 7], ['8A1', 8], ['9A1', 9]] },
  { code: 'TP', name: 'Trường Tiểu học Tân Phong', level: 'TH', classes: [['1A', 1], ['2A', 2], ['3A', 3], ['4A', 4], ['5A', 5]] },
] as const;

/**
 * Seeds the demo district once (one office, two schools with classes, an admin, a school admin, a teacher of 6A1, a tip
 * handler of one school and one of the office, an active traffic-safety campaign). Returns the accounts it created, or null when the demo
 * data already exists.
 */
export async function seedDemoData(db: Db, now = new Date()): Promise<DemoAccount[] | null> {
  if (await db.office.findUnique({ where: { code: OFFICE_CODE } })) return null;
  const office = await db.office.create({ data: { code: OFFICE_CODE, name: 'Phòng Giáo dục và Đào tạo Quận 7 (dữ liệu mẫu)' } });
  const classIds = new Map<string, { id: string; schoolId: string }>();
  const schoolIds = new Map<string, string>();
  for (const s of SCHOOLS) {
    const school = await db.school.create({ data: { officeId: office.id, code: s.code, name: s.name, level: s.level } });
    schoolIds.set(s.code, school.id);
    for (const [name, grade] of s.classes) {
      const c = await db.class.create({
        data: { schoolId: school.id, name, grade, schoolYear: SCHOOL_YEAR, code: `${s.code}-${name}` },
      });
      classIds.set(`${s.code}-${name}`, { id: c.id, schoolId: school.id });
    }
  }
  const teacherClass = classIds.get('NTT-6A1');
  const accounts: DemoAccount[] = [
    { email: 'admin@demo.local', password: randomPassword(), role: 'admin' },
    { email: 'gv.6a1@demo.local', password: randomPassword(), role: 'teacher' },
    { email: 'tin-bao@demo.local', password: randomPassword(), role: 'tip_handler' },
    { email: 'tin-bao.phong@demo.local', password: randomPassword(), role: 'tip_handler' },
    { email: 'bgh.ntt@demo.local', password: randomPassword(), role: 'school_admin' },
  ];
  // One handler per school (here: THCS Nguyễn Thị Thập) and one for the whole office, who also gets tips naming no school.
  await db.staffUser.create({
    data: {
      email: accounts[2]!.email,
      name: 'Cán bộ tiếp nhận tin báo, THCS Nguyễn Thị Thập (mẫu)',
      role: 'tip_handler',
      passwordHash: await hash(accounts[2]!.password),
      schoolId: schoolIds.get('NTT') ?? null,
    },
  });
  await db.staffUser.create({
    data: {
      email: accounts[3]!.email,
      name: 'Cán bộ tiếp nhận tin báo, Phòng GD&ĐT Quận 7 (mẫu)',
      role: 'tip_handler',
      passwordHash: await hash(accounts[3]!.password),
      officeId: office.id,
    },
  });
  await db.staffUser.create({
    data: { email: accounts[0]!.email, name: 'Quản trị Phòng GD&ĐT', role: 'admin', passwordHash: await hash(accounts[0]!.password) },
  });
  await db.staffUser.create({
    data: {
      email: accounts[1]!.email,
      name: 'Cô Nguyễn Thị Lan (GVCN 6A1)',
      role: 'teacher',
      passwordHash: await hash(accounts[1]!.password),
      schoolId: teacherClass?.schoolId ?? null,
      classId: teacherClass?.id ?? null,
    },
  });
  // The school's own admin (ban giám hiệu): every class of THCS Nguyễn Thị Thập, nothing of the other school.
  await db.staffUser.create({
    data: {
      email: accounts[4]!.email,
      name: 'Thầy Trần Văn Minh (Phó hiệu trưởng, mẫu)',
      role: 'school_admin',
      passwordHash: await hash(accounts[4]!.password),
      schoolId: schoolIds.get('NTT') ?? null,
    },
  });
  const startsOn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const endsOn = new Date(startsOn.getTime() + 90 * 24 * 3600 * 1000);
  await db.campaign.create({ data: { slug: 'thang-an-toan-giao-thong', title: 'Tháng an toàn giao thông', startsOn, endsOn, active: true } });
  return accounts;
}

function randomPassword(): string {
  return randomBytes(9).toString('base64url');
}
