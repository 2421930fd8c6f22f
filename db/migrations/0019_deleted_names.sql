-- A deleted account's name is empty, and each page says it in its own
-- language ("Deleted account", "已注销账号"); it was stored in English.
UPDATE users SET display_name = '' WHERE deleted_at IS NOT NULL;
