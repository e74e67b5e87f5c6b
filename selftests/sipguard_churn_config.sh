#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn under traffic, phases 3 to 5 of sipguard_churn.sh: 1,000
# allowlist replaces, the mode/policy flips and ban/unban, with the scanner
# flooding and the registrar calling.
SG_CHURN_PHASES=${SG_CHURN_PHASES:-replace flip ban} exec "$(dirname "$0")/sipguard_churn.sh" "$@"
