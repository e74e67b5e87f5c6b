// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>

#include "print.h"

bool print_json;

/* Nesting: whether the next JSON member needs a comma, and text indent. */
static int depth;
static bool need_comma[16];
static bool in_array[16];

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void member(const char *key)
{
	if (need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	if (key && !in_array[depth]) {
		json_str(key);
		putchar(':');
	}
}

static void indent(void)
{
	for (int i = 1; i < depth; i++)
		fputs("  ", stdout);
}

static void push(bool array)
{
	if (depth < (int)(sizeof(need_comma) / sizeof(need_comma[0])) - 1)
		depth++;
	need_comma[depth] = false;
	in_array[depth] = array;
}

void print_open(void)
{
	depth = 0;
	need_comma[0] = false;
	in_array[0] = false;
	if (print_json)
		putchar('{');
	push(false);
}

void print_close(void)
{
	depth = 0;
	if (print_json)
		puts("}");
	fflush(stdout);
}

void print_obj_open(const char *key)
{
	if (print_json) {
		member(key);
		putchar('{');
	} else if (key) {
		indent();
		printf("%s:\n", key);
	}
	push(false);
}

void print_obj_close(void)
{
	depth--;
	if (print_json)
		putchar('}');
}

void print_arr_open(const char *key)
{
	if (print_json) {
		member(key);
		putchar('[');
	} else {
		indent();
		printf("%s:\n", key);
	}
	push(true);
}

void print_arr_close(void)
{
	depth--;
	if (print_json)
		putchar(']');
}

void print_u64(const char *key, uint64_t v)
{
	if (print_json) {
		member(key);
		printf("%" PRIu64, v);
	} else {
		indent();
		if (in_array[depth])
			printf("%" PRIu64 "\n", v);
		else
			printf("%s: %" PRIu64 "\n", key, v);
	}
}

void print_str(const char *key, const char *v)
{
	if (print_json) {
		member(key);
		json_str(v);
	} else {
		indent();
		if (in_array[depth])
			printf("%s\n", v);
		else
			printf("%s: %s\n", key, v);
	}
}

void print_bool(const char *key, bool v)
{
	if (print_json) {
		member(key);
		fputs(v ? "true" : "false", stdout);
	} else {
		print_str(key, v ? "yes" : "no");
	}
}

void print_onoff(const char *key, bool v)
{
	if (print_json) {
		member(key);
		fputs(v ? "true" : "false", stdout);
	} else {
		print_str(key, v ? "on" : "off");
	}
}
