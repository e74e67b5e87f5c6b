#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn under traffic, phases 3 and 4 of sipguard_churn.sh: 1,000
# allowlist replaces and the mode/policy flips, with the scanner flooding
# and the registrar calling (one kselftest test has 300 s).
SG_CHURN_PHASES=${SG_CHURN_PHASES:-replace flip} exec "$(dirname "$0")/sipguard_churn.sh" "$@"
