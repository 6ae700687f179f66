/** A school and a class as flows see them. */
export interface SchoolRef { id: string; name: string; code: string }
export interface ClassRef { id: string; name: string; code: string; schoolId: string; schoolName: string }

/** Read access to schools and classes (implemented over the store by the bot). */
export interface Directory {
  listSchools(): Promise<SchoolRef[]>;
  getSchool(id: string): Promise<SchoolRef | null>;
  listClasses(schoolId: string): Promise<ClassRef[]>;
  getClass(id: string): Promise<ClassRef | null>;
  findClassByCode(code: string): Promise<ClassRef | null>;
}
