/** A failed Zalo call: Zalo's error code (null for a transport failure or an unreadable answer) and what it said. */
export interface ZaloCallFailure {
  ok: false;
  code: number | null;
  detail: string;
}

/** A group as Zalo describes it. */
export interface ZaloGroupInfo {
  groupId: string;
  name: string;
  /** `enabled` | `disabled`, when Zalo says. */
  status: string | null;
  totalMember: number | null;
  /** The join link (`https://zalo.me/g/…`), when Zalo gives it. */
  groupLink: string | null;
}

/** One GMF quota asset (a paid group slot). */
export interface ZaloGroupAsset {
  assetId: string;
  /** `available` | `used`, when Zalo says. */
  status: string | null;
  productType: string | null;
  /** The group using it, when `used`. */
  usedBy: string | null;
}

/** GMF quota types, in the order a new class group tries them (the OA's package first, then bought, then granted). */
export const GROUP_QUOTA_TYPES = ['sub_quota', 'purchase_quota', 'reward_quota'] as const;
/** GMF products: the number is the member ceiling. */
export const GROUP_PRODUCT_TYPES = ['gmf10', 'gmf50', 'gmf100', 'gmf1000'] as const;
export type GroupProductType = (typeof GROUP_PRODUCT_TYPES)[number];

/** The GMF group management calls the group services need, with the OA's token already applied (bot adapter). */
export interface ZaloGroupsApi {
  /** `GET v3.0/oa/group/getgroupsofoa?offset&count`: one page of the OA's groups. */
  listGroups(offset: number, count: number): Promise<{ ok: true; groups: ZaloGroupInfo[]; total: number | null } | ZaloCallFailure>;
  /** `POST v3.0/oa/quota/group`: the OA's GMF assets of one product and quota type. */
  groupQuota(req: { productType: string; quotaType: string }): Promise<{ ok: true; assets: ZaloGroupAsset[] } | ZaloCallFailure>;
  /** `POST v3.0/oa/group/creategroupwithoa`: a new OA-owned group on an available asset. */
  createGroup(req: { name: string; description?: string; assetId: string; memberUserIds: string[] }): Promise<{ ok: true; group: ZaloGroupInfo } | ZaloCallFailure>;
}
