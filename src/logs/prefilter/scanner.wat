;; The byte scanner behind the log pre-filter: runs a table-driven automaton (built in automaton.ts) over raw log
;; bytes and stops at the first byte that completes a trigger literal. V8 runs this loop several times faster than
;; the same loop in JavaScript, and it is the part that touches every byte of a log.
;;
;; Table entries (u32): the next state's row offset in bytes, or one of two events:
;;   0x40000000  a line ended: count it and restart at state 0
;;   0x80000000  a hit: stop and return the position after this byte (-1 when the window ends without one)
;; `skip` maps a byte to 1 when state 0 stays in state 0 on it, 2 for a newline, 0 otherwise: most bytes of a log
;; leave the automaton in state 0, and that loop has no dependency on the table.
(module
  (memory (export "memory") 1)
  ;; The automaton's state, the lines ended and where the current line starts: kept between calls.
  (global $state (export "state") (mut i32) (i32.const 0))
  (global $lines (export "lines") (mut i32) (i32.const 0))
  (global $lineStart (export "lineStart") (mut i32) (i32.const 0))

  ;; Scans memory[i, end); returns the position after a hit, or -1.
  (func (export "scan") (param $i i32) (param $end i32) (param $tab i32) (param $cls i32) (param $skip i32) (result i32)
    (local $s i32) (local $n i32) (local $v i32) (local $lines i32) (local $lineStart i32)
    (local.set $s (global.get $state))
    (local.set $lines (global.get $lines))
    (local.set $lineStart (global.get $lineStart))
    (block $done
      (loop $next
        (if (i32.eqz (local.get $s))
          (then
            (block $left
              (loop $idle
                (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $v (i32.load8_u (i32.add (local.get $skip) (i32.load8_u (local.get $i)))))
                (br_if $left (i32.eqz (local.get $v)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (if (i32.eq (local.get $v) (i32.const 2))
                  (then
                    (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
                    (local.set $lineStart (local.get $i))))
                (br $idle)))))
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $n
          (i32.load
            (i32.add
              (i32.add (local.get $tab) (local.get $s))
              (i32.shl (i32.load8_u (i32.add (local.get $cls) (i32.load8_u (local.get $i)))) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.lt_u (local.get $n) (i32.const 0x40000000))
          (then
            (local.set $s (local.get $n))
            (br $next)))
        (if (i32.eq (local.get $n) (i32.const 0x40000000))
          (then
            (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
            (local.set $lineStart (local.get $i))
            (local.set $s (i32.const 0))
            (br $next)))
        ;; A hit: the caller reads this line itself and resumes after it.
        (global.set $state (i32.const 0))
        (global.set $lines (local.get $lines))
        (global.set $lineStart (local.get $lineStart))
        (return (local.get $i))))
    (global.set $state (local.get $s))
    (global.set $lines (local.get $lines))
    (global.set $lineStart (local.get $lineStart))
    (i32.const -1)))
