-- hsreg on PostgreSQL with two roles (README, "Security"): the owner role owns the tables and
-- runs `hsreg migrate`; the application's role (DATABASE_URL of `hsreg serve`) may read and
-- write the registry's tables but only INSERT and SELECT the audit log, so it can neither
-- change, delete nor empty the log nor disable its triggers (only a table's owner can).
--
-- Run as the owner role (or a superuser), connected to the registry's database, after every
-- `hsreg migrate` (it is idempotent):
--   psql "$OWNER_DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1 \
--        -v owner=hsreg_owner -v app=hsreg_app -f postgresql-app-role.sql
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
REVOKE ALL ON audit_auditevent FROM :"app";
GRANT SELECT, INSERT ON audit_auditevent TO :"app";
REVOKE ALL ON SEQUENCE audit_auditevent_id_seq FROM :"app";
GRANT USAGE, SELECT ON SEQUENCE audit_auditevent_id_seq TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
