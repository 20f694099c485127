import eslint from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'build-test/**', 'node_modules/**', 'eslint.config.mjs', 'gulpfile.js', 'jest.config.js'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [eslint.configs.recommended, tseslint.configs.recommended],
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunityNodesPlugin.configs.recommended,
		plugins: { ...n8nCommunityNodesPlugin.configs.recommended.plugins, 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: {
			...n8nNodesBase.configs.community.rules,
			// The design card's runtime dependencies (fast-xml-parser, nodemailer, iconv-lite) are deliberate: XML, SMTP
			// and windows-1251 are not written by hand. Only these rules, which forbid any runtime dependency, are relaxed.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Misreads a full URL as a slug; the community rule credential-documentation-url checks it properly.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two demand the string 'main', which the newer rule node-connection-type-literal forbids.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// The only modules that import the design card's runtime dependencies.
		files: ['nodes/shared/protocol/xml.ts', 'nodes/shared/protocol/email2sms.ts', 'nodes/shared/smtp.ts'],
		rules: { '@n8n/community-nodes/no-restricted-imports': 'off' },
	},
);
