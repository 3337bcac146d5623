#!/usr/bin/perl
# procscan.pl - clean counterpart: lists processes still running a deleted
# program (like Debian's checkrestart/needrestart), kills nothing.
use strict;
use warnings;

for my $link (glob "/proc/*/exe") {
	my ($pid) = $link =~ m{/proc/(\d+)/exe};
	my $exe = readlink($link) // next;
	print "$pid $exe\n" if $exe =~ /\(deleted\)$/;
}
