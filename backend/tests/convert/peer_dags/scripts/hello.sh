echo "templated script on {{ ds }} for {{ params.who }}"
