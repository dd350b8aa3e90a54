-- A store as the first schema (user_version 1) left it, with data in it.
-- Frozen: never edit; the migration test upgrades it to the current schema.
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT);
CREATE TABLE items (
  id TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('delivery', 'pickup')),
  seq INTEGER NOT NULL,
  dossier_code TEXT,
  procedure TEXT NOT NULL,
  agency TEXT,
  recipient_name TEXT NOT NULL,
  phone TEXT,
  street TEXT NOT NULL,
  commune TEXT NOT NULL,
  district TEXT,
  province TEXT NOT NULL,
  lat REAL,
  lon REAL,
  id_hash TEXT,
  fee_vnd INTEGER NOT NULL DEFAULT 0,
  postage_vnd INTEGER NOT NULL DEFAULT 0,
  beneficiary TEXT,
  proxy_allowed INTEGER NOT NULL DEFAULT 0,
  checklist TEXT,
  status TEXT NOT NULL DEFAULT 'pending',
  search_key TEXT NOT NULL DEFAULT '');
CREATE INDEX items_seq ON items (seq);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY NOT NULL,
  uuid TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  item_id TEXT,
  time TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'acknowledged', 'quarantined')),
  reason TEXT);
CREATE INDEX events_state ON events (state, seq);

INSERT INTO meta VALUES ('route_id', 'R-2026-11-24-HN01'), ('route_date', '2026-11-24');
INSERT INTO items (id, kind, seq, dossier_code, procedure, agency, recipient_name, phone, street,
                   commune, district, province, lat, lon, fee_vnd, postage_vnd, beneficiary,
                   proxy_allowed, checklist, status, search_key)
VALUES
  ('RR123456785VN', 'delivery', 1, '000.00.20.H26-241120-0012',
   'Cấp giấy chứng nhận quyền sử dụng đất', 'Văn phòng đăng ký đất đai Hà Nội',
   'Nguyễn Văn Ánh', '0912345678', '12 Phố Huế', 'Phường Hai Bà Trưng', 'Quận Hai Bà Trưng',
   'Hà Nội', 21.0112, 105.8519, 100000, 30000, 'war-invalid', 1, NULL, 'delivered',
   'rr123456785vn nguyen van anh 12 pho hue phuong hai ba trung quan hai ba trung ha noi'),
  ('EE473124829VN', 'pickup', 2, NULL, 'Hồ sơ hưởng chế độ người có công', NULL,
   'Trần Thị Hạnh', NULL, '5 Ngõ 40 Đội Cấn', 'Phường Ba Đình', NULL, 'Hà Nội', NULL, NULL,
   0, 25000, 'heroic-mother', 0, '["Tờ khai","Bản sao căn cước công dân"]', 'pending',
   'ee473124829vn tran thi hanh 5 ngo 40 doi can phuong ba dinh ha noi');
-- Two events as the first schema chained them.
INSERT INTO events VALUES
  (1, '6f1c1b3e-5d0a-4c1e-9a57-3f0d2b7c9e11', 'delivered', 'RR123456785VN',
   '2026-11-24T09:15:02.000000Z', '{"identity":"match"}',
   '0000000000000000000000000000000000000000000000000000000000000000',
   '1c373420b62276b3ffd4ab31dfc56667a78659d0530aa26f6433acc52f72a79e', 'acknowledged', NULL),
  (2, '0b7d9e2a-1c3f-4e5d-8a6b-7c8d9e0f1a2b', 'test', NULL,
   '2026-11-24T09:20:00.000000Z', '{}',
   '1c373420b62276b3ffd4ab31dfc56667a78659d0530aa26f6433acc52f72a79e',
   '7c2075ef4fc5ad796c7df524285dbe584baf09c5e2848412a3dc0b0aec761951', 'pending', NULL);
PRAGMA user_version = 1;
