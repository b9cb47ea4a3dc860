-- bench/people.sql - 100 departments and @n people for tenant 1, for the paging and cold-start
-- benchmarks. bench/run.sh feeds it to the sqlite3 CLI on a database made by `bureau init`, inside
-- one transaction, after `.parameter set @n N` and with the people indexes dropped (it recreates
-- them from sqlite_master afterwards, then runs ANALYZE as the server's daily optimize would).
-- Every value is a function of the row number x, so two runs give the same database.
--   department_id  spread evenly over the 100 departments (~1% of the people each)
--   rank_id        spread over the ranks `bureau init` seeded for tenant 1
--   contract_staff 10% true; union_member 90%; active 98%
--   joined_on      2000-01-01 .. 2025-09, not correlated with id

INSERT INTO departments (tenant_id, version, created_at, updated_at, name, code, kind,
                         sort_order, headcount, active)
WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < 100)
SELECT 1, 1, 1735660800, 1735660800, '部门' || printf('%03d', k), printf('BENCH-%03d', k),
       'government', k, 50, 1
FROM d;

CREATE TEMP TABLE bench_rank (k INTEGER PRIMARY KEY, id INTEGER NOT NULL);
INSERT INTO bench_rank SELECT row_number() OVER (ORDER BY id) - 1, id FROM ranks WHERE tenant_id = 1;

CREATE TEMP TABLE bench_post (k INTEGER PRIMARY KEY, post TEXT NOT NULL);
INSERT INTO bench_post VALUES (0, '科员'), (1, '副主任科员'), (2, '主任科员'), (3, '副科长'),
                              (4, '科长'), (5, '副局长'), (6, '局长'), (7, '办事员');

INSERT INTO people (tenant_id, version, created_at, updated_at, name, staff_no, department_id,
                    rank_id, post, phone, union_member, contract_staff, active, joined_on)
WITH RECURSIVE
  base(d0, nr) AS (SELECT (SELECT id FROM departments WHERE tenant_id = 1 AND code = 'BENCH-001'),
                          (SELECT count(*) FROM bench_rank)),
  p(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM p WHERE x < @n)
SELECT 1, 1, 1735660800 + x, 1735660800 + x,
       substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹', 1 + x % 30, 1) ||
       substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文玉兰海燕', 1 + (x / 30) % 32, 1) ||
       substr('一二三四五六七八九十', 1 + (x / 960) % 10, 1),
       printf('S%07d', x),
       base.d0 + (x * 2654435761 / 7) % 100,
       (SELECT id FROM bench_rank WHERE k = (x * 2246822519 / 11) % base.nr),
       (SELECT post FROM bench_post WHERE k = (x / 7) % 8),
       printf('138%08d', x),
       x % 10 <> 0, x % 10 = 3, x % 50 <> 0,
       date('2000-01-01', '+' || ((x * 7919) % 9400) || ' days')
FROM p, base;
