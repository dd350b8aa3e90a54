-- A store as the second schema (user_version 2) left it, with data in it:
-- events in each outbox state, one acknowledged with its time.
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
  search_key TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0);
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
  reason TEXT,
  acked_at TEXT);
CREATE INDEX events_state ON events (state, seq);
CREATE INDEX events_item ON events (item_id);

INSERT INTO meta VALUES ('route_id', 'R-2026-11-24-HN01'), ('route_date', '2026-11-24');
INSERT INTO items (id, kind, seq, dossier_code, procedure, agency, recipient_name, phone, street,
                   commune, district, province, lat, lon, fee_vnd, postage_vnd, beneficiary,
                   proxy_allowed, checklist, status, search_key, attempts)
VALUES
  ('RR123456785VN', 'delivery', 1, '000.00.20.H26-241120-0012',
   'Cấp giấy chứng nhận quyền sử dụng đất', 'Văn phòng đăng ký đất đai Hà Nội',
   'Nguyễn Văn Ánh', '0912345678', '12 Phố Huế', 'Phường Hai Bà Trưng', 'Quận Hai Bà Trưng',
   'Hà Nội', 21.0112, 105.8519, 100000, 30000, 'war-invalid', 1, NULL, 'delivered',
   'rr123456785vn nguyen van anh 12 pho hue phuong hai ba trung quan hai ba trung ha noi', 0),
  ('EE473124829VN', 'pickup', 2, NULL, 'Hồ sơ hưởng chế độ người có công', NULL,
   'Trần Thị Hạnh', NULL, '5 Ngõ 40 Đội Cấn', 'Phường Ba Đình', NULL, 'Hà Nội', NULL, NULL,
   0, 25000, 'heroic-mother', 0, '["Tờ khai","Bản sao căn cước công dân"]', 'failed',
   'ee473124829vn tran thi hanh 5 ngo 40 doi can phuong ba dinh ha noi', 1);
-- Three chained events: acknowledged, set aside by the server, waiting.
INSERT INTO events VALUES
  (1, '6f1c1b3e-5d0a-4c1e-9a57-3f0d2b7c9e11', 'delivered', 'RR123456785VN',
   '2026-11-24T09:15:02.000000Z', '{"identity":"match"}',
   '0000000000000000000000000000000000000000000000000000000000000000',
   '1c373420b62276b3ffd4ab31dfc56667a78659d0530aa26f6433acc52f72a79e', 'acknowledged', NULL,
   '2026-11-24T09:16:00.000000Z'),
  (2, '3a9b5c7d-2e4f-4a6b-8c0d-1e2f3a4b5c6d', 'failed', 'EE473124829VN',
   '2026-11-24T10:02:11.000000Z', '{"reason":"absent"}',
   '1c373420b62276b3ffd4ab31dfc56667a78659d0530aa26f6433acc52f72a79e',
   '7675b3e57bce4bcc0c0e3028a20982cf92e7555c1df6aac3941e3b148588cea5', 'quarantined',
   'Event type “failed” is not known to this server — unknown-type', NULL),
  (3, '9d8c7b6a-5f4e-4d3c-a2b1-0f9e8d7c6b5a', 'note', 'EE473124829VN',
   '2026-11-24T10:05:40.000000Z', '{"text":"Gọi lại sau 17 giờ"}',
   '7675b3e57bce4bcc0c0e3028a20982cf92e7555c1df6aac3941e3b148588cea5',
   '8010b893edf3f2c44287e6a6f574e105d32946ca2df01f3fc8c27262f9dd10ed', 'pending', NULL, NULL);
PRAGMA user_version = 2;
