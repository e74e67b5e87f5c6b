/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON (-j): commands describe what they show
 * as keys and values, and the same keys appear in both forms, as in
 * iproute2.  Text is "key: value" lines indented by nesting; JSON is one
 * object per command.
 */
#ifndef SIPGUARDCTL_PRINT_H
#define SIPGUARDCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

extern bool print_json;

void print_open(void);			/* the command's top-level object */
void print_close(void);
void print_obj_open(const char *key);	/* a nested object */
void print_obj_close(void);
void print_arr_open(const char *key);	/* a list; in text, one item a line */
void print_arr_close(void);
void print_u64(const char *key, uint64_t v);
void print_str(const char *key, const char *v);
void print_bool(const char *key, bool v);
/* A switch: true/false in JSON, on/off in text. */
void print_onoff(const char *key, bool v);

#endif
