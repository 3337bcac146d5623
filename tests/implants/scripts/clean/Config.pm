# Tool::Config - clean counterpart: reads the user's ~/.toolrc as settings
# (no eval, nothing decrypted), and fetches a page with HTTP::Tiny.
package Tool::Config;
use strict;
use warnings;
use HTTP::Tiny;

sub load {
	my %cfg;
	open(my $fh, '<', "$ENV{HOME}/.toolrc") or return \%cfg;
	while (my $l = <$fh>) {
		$cfg{$1} = $2 if $l =~ /^(\w+)\s*=\s*(.*)$/;
	}
	return \%cfg;
}

sub fetch {
	my ($url) = @_;
	my $r = HTTP::Tiny->new->get($url);
	system("logger", "fetched $url");
	return $r->{content};
}

1;
